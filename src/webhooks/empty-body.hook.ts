import { FastifyInstance, FastifyRequest } from 'fastify';
import { WEBHOOK_ROUTE } from './webhook.service';

/**
 * Google posts notifications with `Content-Type: application/json` and no body; Fastify refuses an empty
 * JSON body with 400 before any route runs. For this one route the body carries nothing we read, so the
 * content type of an empty request is dropped and the request reaches the controller.
 */
export function acceptEmptyNotificationBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.method !== 'POST' || request.url.split('?')[0] !== WEBHOOK_ROUTE) return;
    const length = request.headers['content-length'];
    if (length === undefined || length === '0') delete request.headers['content-type'];
  });
}
