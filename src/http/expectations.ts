// Requests with an `Expect` other than 100-continue. Node's HTTP server answers them 417 by
// itself unless someone listens for 'checkExpectation' — right for a vendor that runs on Node
// (Basic's Fastify), wrong for one on uvicorn, whose h11 acts on 100-continue only and ignores
// any other expectation (Baseten, Imtegrate). Each vendor's dialect says which it is.
import type { Server } from 'node:http';
import type { VendorDialect } from '../vendors/dialect.js';

export function answerExpectations(server: Server, vendorOf: (url: string) => VendorDialect | undefined): void {
  server.on('checkExpectation', (request, response) => {
    if (vendorOf(request.url ?? '/')?.server === 'uvicorn') server.emit('request', request, response);
    else {
      response.writeHead(417);
      response.end();
    }
  });
}
