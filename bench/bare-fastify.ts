// Baselines that need HTTP: a bare Fastify app, in its own process like keyforge, hit by
// autocannon the same way. POST /echo (JSON body in, small JSON out) is the bare stack;
// POST /hash/<profile> also hashes a secret with argon2id (the profile's parameters, a salt from
// the CSPRNG), which is the ceiling for keyforge's creates: HTTP plus hashing, nothing else.
import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import Fastify from 'fastify';
import { argon2Options, type HashProfileName } from '../src/keys/hashing.js';

const app = Fastify({ logger: false });
app.post('/echo', async (request) => ({ ok: true, got: typeof request.body }));
let secrets = 0;
app.post<{ Params: { profile: HashProfileName } }>('/hash/:profile', async (request, reply) => {
  const options = { ...argon2Options(request.params.profile), salt: randomBytes(16) };
  const hash = await argon2.hash(`secret-${secrets++}`, options);
  return reply.code(201).send({ ok: true, length: hash.length });
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`bare fastify listening on ${address}\n`);
const close = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', close);
process.on('SIGINT', close);
