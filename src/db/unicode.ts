// A string as UTF-8 can hold it: each lone surrogate (a JavaScript string and JSON's "\ud800"
// allow them) becomes U+FFFD, as every UTF-8 encoder writes it. Both engines store client strings
// through this, so they read back alike: node-postgres encodes text so already (but PostgreSQL's
// JSON parser refuses a lone "\ud800"), while better-sqlite3 writes a lone surrogate as three
// bytes that read back as three U+FFFD.
const SURROGATE = /[\ud800-\udfff]/;
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function wellFormed(value: string): string {
  return SURROGATE.test(value) ? value.replace(LONE, '\ufffd') : value;
}
