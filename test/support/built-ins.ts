// The built-ins the tests lock against new properties (test/lock-prototypes.ts), and a check that
// none of them changed since a snapshot: no property added, removed or given another value. A
// locked object still lets an existing writable property be assigned, so names alone would miss
// `Object.prototype.toString = …`.
/** Names of Object.prototype's members (and `prototype`) that a client may send as keys. */
export const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
] as const;

export const BUILT_INS: ReadonlyArray<readonly [string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
  ['Object', Object],
];

/** Every own property of the built-ins, by "Object.prototype.toString", with its value (or accessors). */
export type BuiltInsSnapshot = ReadonlyMap<string, readonly unknown[]>;

export function snapshotBuiltIns(): BuiltInsSnapshot {
  const snapshot = new Map<string, readonly unknown[]>();
  for (const [label, target] of BUILT_INS) {
    for (const key of Reflect.ownKeys(target)) {
      const { value, get, set } = Reflect.getOwnPropertyDescriptor(target, key)!;
      snapshot.set(`${label}.${String(key)}`, [value, get, set]);
    }
  }
  return snapshot;
}

/** What differs from `before`: "added …", "removed …" or "changed …", one line each. */
export function changedBuiltIns(before: BuiltInsSnapshot): string[] {
  const now = snapshotBuiltIns();
  const changes: string[] = [];
  for (const [name, parts] of now) {
    const old = before.get(name);
    if (old === undefined) changes.push(`added ${name}`);
    else if (parts.some((part, i) => !Object.is(part, old[i]))) changes.push(`changed ${name}`);
  }
  for (const name of before.keys()) if (!now.has(name)) changes.push(`removed ${name}`);
  return changes;
}
