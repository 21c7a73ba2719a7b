// What `node --disable-proto=delete` does, for the keyforge process alone: removes the
// Object.prototype.__proto__ accessor before any other module loads. Without it a library that
// indexes a plain {} by a client's string reads Object.prototype for the key "__proto__"
// (`cache[key]`) and sets an object's prototype when it writes one (`target[key] = value`);
// with it, both are an ordinary own property. `{ __proto__: … }` literals, Object.getPrototypeOf
// and Object.setPrototypeOf are unaffected. server.ts imports this first; buildApp and
// startKeyforge never do, since they run inside other programs (test suites), whose
// Object.prototype is theirs. What it guards and what not: SECURITY.md.
Reflect.deleteProperty(Object.prototype, '__proto__');
