// What reitit-ring does with a method a Bytebeam path does not serve (reitit.ring, read from its
// source): a route's `:options` is reitit's `default-options-endpoint` unless the route declares
// one, built from the route data like any method, so it runs the routes' middleware and answers
// 200 with an empty body and `Allow` listing the methods that have handlers, upper case, joined
// by "," with no space, in the order of reitit's Methods record (get head post put delete connect
// options trace patch). Any other method (HEAD included: reitit adds none for GET) reaches
// `create-default-handler`'s `:method-not-allowed`, outside the route middleware: 405 with an
// empty body and no headers — no Allow, no Content-Type.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** reitit.ring's Methods record, in field order. */
const RECORD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

export async function reititMethodNotAllowed(_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  return reply.code(405).removeHeader('content-type').send();
}

/** default-options-handler for a path whose routes serve `served`. */
export function reititOptions(served: readonly string[]) {
  const allow = RECORD_ORDER.filter((method) => method === 'OPTIONS' || served.includes(method)).join(',');
  return async (_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    reply.code(200).removeHeader('content-type').header('allow', allow).send();
}
