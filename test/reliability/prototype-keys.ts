// Requests that put the names of Object.prototype's members wherever a client names things: body
// keys in every media type a vendor might read, query-string keys and header names. A name such
// as "__proto__" must stay an ordinary key everywhere (issue 21: one transit key wrote onto
// Object.prototype). The encoders here must not pollute either: transit is written by hand
// (transit-js's own writer caches keys in a plain {}), and msgpack maps are built with
// Object.fromEntries, since `map['__proto__'] = v` on a {} sets its prototype and drops the key.
import { encode as msgpack } from '@msgpack/msgpack';

export interface Body {
  contentType: string;
  payload: string | Buffer;
  /** For failure messages: the media type, and how the name is written. */
  what: string;
}

type Fields = Record<string, unknown>;
/** The name's value: a number, or a map as a polluting client would send (`{"__proto__": {"admin": true}}`). */
const VALUES = [1, { admin: true }] as const;

const withKey = (fields: Fields, name: string, value: unknown): Fields =>
  Object.fromEntries([...Object.entries(fields), [name, value]]);

function jsonBodies(name: string, valid: Fields): Body[] {
  const json = (body: Fields, what: string): Body => ({
    contentType: 'application/json',
    payload: JSON.stringify(body),
    what,
  });
  return [
    ...VALUES.map((value) => json(withKey(valid, name, value), `JSON key ${JSON.stringify(value)}`)),
    json(withKey(valid, 'metadata', withKey({}, name, { admin: true })), 'JSON key, nested'),
    { contentType: 'text/plain', payload: JSON.stringify(withKey(valid, name, 1)), what: 'JSON text as text/plain' },
  ];
}

function formBodies(name: string, valid: Fields): Body[] {
  const fields = Object.entries(valid).map(([key, value]): [string, string] => [key, String(value)]);
  const urlencoded = new URLSearchParams([...fields, [name, '1'], [`${name}[admin]`, 'true']]).toString();
  const part = (key: string, value: string) =>
    `--x\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`;
  const multipart = `${[...fields, [name, '1'] as [string, string]].map(([key, value]) => part(key, value)).join('')}--x--\r\n`;
  return [
    { contentType: 'application/x-www-form-urlencoded', payload: urlencoded, what: 'form field' },
    { contentType: 'multipart/form-data; boundary=x', payload: multipart, what: 'multipart field' },
  ];
}

/** Bytebeam's three Clojure media types; the name as a keyword and as a string key. */
function clojureBodies(name: string, valid: Fields): Body[] {
  const bodies: Body[] = [];
  for (const kind of ['keyword', 'string'] as const) {
    const transitKey = kind === 'keyword' ? `~:${name}` : name;
    for (const value of VALUES) {
      const nested = typeof value === 'object';
      const pairs = Object.entries(valid).flatMap(([key, v]) => [JSON.stringify(`~:${key}`), JSON.stringify(v)]);
      const transitValue = nested ? '["^ ","~:admin",true]' : '1';
      bodies.push({
        contentType: 'application/transit+json',
        payload: `["^ ",${[...pairs, JSON.stringify(transitKey), transitValue].join(',')}]`,
        what: `transit+json ${kind} key`,
      });
      const msgpackValue = nested ? Object.fromEntries([['~:admin', true]]) : 1;
      const map = Object.fromEntries([
        ...Object.entries(valid).map(([key, v]) => [`~:${key}`, v]),
        [transitKey, msgpackValue],
      ]);
      bodies.push({
        contentType: 'application/transit+msgpack',
        payload: Buffer.from(msgpack(map)),
        what: `transit+msgpack ${kind} key`,
      });
      const ednPairs = Object.entries(valid).map(([key, v]) => `:${key} ${JSON.stringify(v)}`);
      const ednKey = kind === 'keyword' ? `:${name}` : JSON.stringify(name);
      bodies.push({
        contentType: 'application/edn',
        payload: `{${[...ednPairs, `${ednKey} ${nested ? '{:admin true}' : '1'}`].join(' ')}}`,
        what: `EDN ${kind} key`,
      });
    }
  }
  return bodies;
}

/**
 * `valid` (a body the route accepts) with the key `name` added, in every media type: the three
 * Clojure ones in every form for Bytebeam (`everyClojureForm`), which reads them, once each for
 * the others, which refuse them.
 */
export function bodiesWith(name: string, valid: Fields, everyClojureForm: boolean): Body[] {
  const clojure = clojureBodies(name, valid);
  return [...jsonBodies(name, valid), ...formBodies(name, valid), ...(everyClojureForm ? clojure : clojure.slice(-3))];
}

/** Query strings naming `name` as qs, fast-querystring and Spring would read nested keys. */
export const queryStringsWith = (name: string): string[] => [
  `${name}=1`,
  `${name}[admin]=1`,
  `${name}[0]=a&${name}[1]=b`,
  `${name}.admin=1`,
  `a[${name}][admin]=1`,
  `vendor=baseten&${name}=baseten`,
];

/** Headers with one named `name`; built from entries, so "__proto__" is a header and not a prototype. */
export const headersWith = (name: string, headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries([...Object.entries(headers), [name, 'x']]);
