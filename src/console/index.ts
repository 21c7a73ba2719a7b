// The emulator console at /_keyforge/ui: a static page (built into dist/ui/ by `npm run
// build`) that signs in with the admin token and then uses the admin API like any client, with
// the token in an Authorization header. The page itself holds no secret, so it loads without the
// token; a strict Content-Security-Policy allows only its own script, style and calls.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { keyforgeNotFound } from '../http/not-found.js';
import { loadAssets, type Asset } from './assets.js';

export interface ConsoleOptions {
  /** Where the built page is (dist/ui). */
  dir: string;
}

export const CONSOLE_PATH = '/_keyforge/ui';

/** No inline script or style, no other origin, no framing, no forms posting anywhere. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const consoleRoutes: FastifyPluginAsync<ConsoleOptions> = async (app, { dir }) => {
  let assets: Promise<Map<string, Asset> | null> | undefined;
  const serve = async (name: string, request: FastifyRequest, reply: FastifyReply) => {
    assets ??= loadAssets(dir).catch((err: Error) => {
      assets = undefined; // tried again on the next request
      throw err;
    });
    const files = await assets;
    if (files === null) {
      return reply
        .code(503)
        .send({ error: 'Service Unavailable', message: 'the console is not built: run `npm run build`' });
    }
    const asset = files.get(name);
    if (!asset) return keyforgeNotFound(request, reply);
    reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cross-origin-opener-policy', 'same-origin')
      .header('cache-control', 'no-cache')
      .header('etag', asset.etag)
      .header('vary', 'accept-encoding')
      .type(asset.type);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? ''))
      return reply.header('content-encoding', 'gzip').send(asset.gzipped);
    return reply.send(asset.body);
  };

  app.get(CONSOLE_PATH, { schema: { hide: true } }, (request, reply) => serve('index.html', request, reply));
  app.get(`${CONSOLE_PATH}/`, { schema: { hide: true } }, (request, reply) => serve('index.html', request, reply));
  app.get<{ Params: { file: string } }>(`${CONSOLE_PATH}/:file`, { schema: { hide: true } }, (request, reply) =>
    serve(request.params.file, request, reply),
  );
};
