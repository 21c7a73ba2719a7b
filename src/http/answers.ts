// The answers an operation can give besides its success, as its API document shows them: each
// status keyforge can answer, with the vendor-shaped body (a zod schema, the same one the
// vendor's code is typed against where it builds that body) and an example. Routes name them
// in `config.answers`; src/docs/transform.ts adds them to the operation's responses, so a
// client generated from /openapi/<vendor>.json expects every 401, 404 or 429 it can get.
import type { z } from 'zod';

export interface DocumentedAnswer {
  description: string;
  /** Per media type, the body's schema and an example; none for an empty body. */
  content?: Record<string, { schema: z.ZodType; example?: unknown }>;
}

/** Status code (or `default`) → answer. */
export type DocumentedAnswers = Record<string, DocumentedAnswer>;

/**
 * The mark of an answer the vendor's own document does not list: keyforge answers it as the
 * vendor's framework would, in the vendor's error shape.
 */
export const KEYFORGE_MARK = "(keyforge's answer: the vendor's document does not list this status)";

/** An answer in one media type (JSON unless said otherwise). */
export function answer(
  description: string,
  schema: z.ZodType,
  example: unknown,
  mediaType = 'application/json',
): DocumentedAnswer {
  return { description, content: { [mediaType]: { schema, example } } };
}

/** An answer the vendor's document does not list, marked as keyforge's. */
export function keyforgeAnswer(
  description: string,
  schema: z.ZodType,
  example: unknown,
  mediaType = 'application/json',
): DocumentedAnswer {
  return answer(`${description} ${KEYFORGE_MARK}`, schema, example, mediaType);
}

/** The statuses every vendor call may answer whatever the vendor: a body over --body-limit, --rate-limit, faults. */
export interface CommonAnswerWording {
  /** 413: a body over --body-limit (operations that read a body). */
  tooLarge?: unknown;
  /** 429: over --rate-limit. */
  rateLimited: unknown;
  /** 503: the database does not answer, or a fault injected with that status. */
  unavailable: unknown;
  /** Any other status a fault injected with PUT /_keyforge/faults answers. */
  fault: unknown;
}

/** 413 (when the operation reads a body), 429, 503 and `default` (faults), each with its example body. */
export function commonAnswers(
  schema: z.ZodType,
  examples: CommonAnswerWording,
  mediaType = 'application/json',
): DocumentedAnswers {
  return {
    ...(examples.tooLarge === undefined
      ? {}
      : {
          413: keyforgeAnswer(
            'Payload Too Large: the body is over --body-limit.',
            schema,
            examples.tooLarge,
            mediaType,
          ),
        }),
    429: keyforgeAnswer(
      'Too Many Requests: this credential is over --rate-limit calls per minute.',
      schema,
      examples.rateLimited,
      mediaType,
    ),
    503: keyforgeAnswer(
      'Service Unavailable: the database does not answer, or a fault injected with PUT /_keyforge/faults.',
      schema,
      examples.unavailable,
      mediaType,
    ),
    default: keyforgeAnswer(
      'Any other status a fault injected with PUT /_keyforge/faults answers, in this shape.',
      schema,
      examples.fault,
      mediaType,
    ),
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The operation's answers besides its success, for its API document. */
    answers?: DocumentedAnswers;
  }
}
