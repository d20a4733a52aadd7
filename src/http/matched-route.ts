import { FastifyRequest } from 'fastify';

/**
 * The route pattern the router matched (`/api/client-calendars/:id`), or null when none did. Decisions about a
 * request (CSRF, throttling, 401 or login page) are taken on this, never on the raw URL: the router decodes
 * percent escapes, so `/%61pi/me` reaches the handler of `/api/me` while its raw URL starts with neither.
 */
export function matchedRoute(request: FastifyRequest): string | null {
  return request.routeOptions?.url ?? null;
}
