// The reitit + malli error style (Bytebeam): a request that fails coercion answers 400 with
// malli's humanized errors — `{"name": ["missing required key"], "extra": ["disallowed key"]}`,
// or `["invalid type"]` when the value itself is of the wrong kind. Wording from malli.error.
import type { z } from 'zod';
import type { HttpPart } from '../../http/validation.js';

/** Messages per failing path, nested like the value; a bare list when the value itself fails. */
export type Humanized = string[] | { [key: string]: Humanized };

/** Where reitit says the failing parameters were (`:in` of the coercion error). */
export const COERCION_IN: Record<HttpPart, readonly [string, string]> = {
  body: ['request', 'body-params'],
  querystring: ['request', 'query-params'],
  params: ['request', 'path-params'],
  headers: ['request', 'headers'],
};

const TYPE_MESSAGES: Record<string, string> = {
  string: 'should be a string',
  number: 'should be a number',
  int: 'should be an integer',
  boolean: 'should be a boolean',
};

/** malli.error/humanize of the zod issues of `value`, in issue order (schema fields, then extra keys). */
export function humanize(issues: readonly z.core.$ZodIssue[], value: unknown): Humanized {
  type Node = Map<string, Node | string[]>;
  const tree: Node = new Map();
  const root: string[] = [];
  const add = (path: readonly PropertyKey[], message: string) => {
    if (path.length === 0) return void root.push(message);
    let node = tree;
    for (const key of path.slice(0, -1).map(String)) {
      const child = node.get(key);
      if (child instanceof Map) node = child;
      else node.set(key, (node = new Map()));
    }
    const last = String(path[path.length - 1]);
    const messages = node.get(last);
    node.set(last, Array.isArray(messages) ? [...messages, message] : [message]);
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) add([...issue.path, key], 'disallowed key');
    else add(issue.path, malliMessage(issue, value));
  }
  // Map-based until here so that a key named "__proto__" stays an ordinary key.
  const plain = (node: Node): Humanized =>
    Object.fromEntries([...node].map(([key, v]) => [key, v instanceof Map ? plain(v) : v]));
  return root.length > 0 ? root : plain(tree);
}

function malliMessage(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const parent = valueAt(value, issue.path.slice(0, -1));
      const key = issue.path[issue.path.length - 1];
      if (key !== undefined && isMap(parent) && !Object.hasOwn(parent, key)) return 'missing required key';
      return TYPE_MESSAGES[issue.expected] ?? 'invalid type';
    }
    case 'too_small':
      return issue.origin === 'string'
        ? `should be at least ${count(issue.minimum, 'character')}`
        : `should be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `should be at most ${count(issue.maximum, 'character')}`
        : `should be at most ${issue.maximum}`;
    default:
      return 'unknown error';
  }
}

const count = (n: number | bigint, unit: string) => `${n} ${unit}${Number(n) === 1 ? '' : 's'}`;

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path)
    current = isMap(current) || Array.isArray(current) ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  return current;
}

function isMap(value: unknown): value is Record<PropertyKey, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
