// Every test file runs with the built-in prototypes, Object, and the functions they hold locked
// against new properties, so a write a client's key provokes (a "__proto__" or "toString" map key
// reaching a library's plain-object cache) throws at its source, with its stack, in the test that
// caused it, instead of corrupting the process for whatever runs next. Assigning an existing
// property still works, and so does an own property that shadows one on an ordinary object.
// First, the Object.prototype.__proto__ accessor goes, as the keyforge process removes it
// (src/disable-proto.ts): the suite runs the way the server does.
import '../src/disable-proto.js';
import { BUILT_INS } from './support/built-ins.js';

for (const [, target] of BUILT_INS) {
  for (const key of Reflect.ownKeys(target)) {
    const { value } = Reflect.getOwnPropertyDescriptor(target, key) ?? {};
    if (typeof value === 'function') Object.preventExtensions(value);
  }
  Object.preventExtensions(target);
}
