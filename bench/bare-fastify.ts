// Baseline: a bare Fastify app with one POST handler (JSON body in, small JSON out), in its
// own process like keyforge, hit by autocannon the same way. Prints its URL when listening.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/echo', async (request) => ({ ok: true, got: typeof request.body }));
app.get('/health', async () => ({ status: 'ok' }));
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`bare fastify listening on ${address}\n`);
const close = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', close);
process.on('SIGINT', close);
