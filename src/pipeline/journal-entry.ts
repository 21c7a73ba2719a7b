// A journal entry as the admin API answers it, declared once: the server's type, the admin
// document's schema and the console's type (a type-only import, which the console's bundler
// erases) all come from here. Only zod is imported, so the console can typecheck it.
import { z } from 'zod';

const headers = z.record(z.string(), z.string()).meta({ description: 'Lower-case names; secret values redacted' });
const body = z
  .string()
  .nullable()
  .meta({ description: 'At most 64 KiB, keys and tokens redacted; a binary body is described by its size' });

export const journalEntry = z
  .object({
    id: z.number().int(),
    time: z.iso.datetime().meta({ description: 'When the call was served, in real time' }),
    emulatedTime: z.iso.datetime().nullable().meta({
      description:
        "The test clock's time when the call was served, while the clock was moved (PUT /_keyforge/clock); null on real time",
    }),
    instance: z.string().meta({ description: 'The keyforge instance that served the call' }),
    vendor: z.string().meta({ examples: ['baseten'] }),
    method: z.string(),
    path: z.string().meta({ description: 'As sent, query string included' }),
    status: z.number().int(),
    latencyMs: z.number(),
    tenant: z
      .string()
      .nullable()
      .meta({ description: 'The tenant whose credential the vendor accepted; null before auth or when refused' }),
    keyId: z.string().nullable().meta({
      description:
        "keyforge's id of the key that made the call; null for a Basic user JWT, before auth or when refused",
    }),
    refusal: z
      .string()
      .nullable()
      .meta({
        description:
          'Which check refused the call: authentication, permission, validation, body, media type, not found, method, fault, rate limit…; null when it succeeded',
        examples: ['authentication'],
      }),
    request: z.object({ headers, body }),
    response: z.object({ headers, contentType: z.string().nullable(), body }),
  })
  .meta({ id: 'JournalEntry' });

export type JournalEntry = z.output<typeof journalEntry>;
