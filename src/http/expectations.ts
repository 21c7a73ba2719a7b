// Requests with an `Expect` other than 100-continue. Node's HTTP server answers them 417 by
// itself unless someone listens for 'checkExpectation' — right for a vendor that runs on Node
// (Basic's Fastify), wrong for one on uvicorn, whose h11 acts on 100-continue only and ignores
// any other expectation (Baseten, Imtegrate). Each vendor's dialect says which it is.
import type { Server } from 'node:http';

/** `vendorOf`: the dialect whose paths a URL names (its `server`, when not Node). */
export function answerExpectations(server: Server, vendorOf: (url: string) => { server?: string } | undefined): void {
  server.on('checkExpectation', (request, response) => {
    if (vendorOf(request.url ?? '/')?.server === 'uvicorn') server.emit('request', request, response);
    else {
      response.writeHead(417);
      response.end();
    }
  });
}
