import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { matchedRoute } from '../http/matched-route';
import { CSRF_FIELD, CSRF_HEADER, CsrfService } from './csrf.service';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * The only unsafe routes without a token: the providers' push receivers carry no cookie and are authenticated
 * by their channel token (Google) or subscription clientState (Microsoft) instead.
 */
export const CSRF_EXEMPT_ROUTES: ReadonlySet<string> = new Set([
  '/api/webhooks/google-calendar',
  '/api/webhooks/microsoft-graph',
]);

/**
 * Global guard, deny by default: every unsafe request that reaches a handler carries a valid CSRF token, else
 * 403. Decided on the route the router matched, so no spelling of the path (percent escapes, dot segments)
 * can slip past it.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly csrf: CsrfService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!UNSAFE.has(request.method)) return true;
    const route = matchedRoute(request);
    if (route !== null && CSRF_EXEMPT_ROUTES.has(route)) return true;
    if (request.headers['sec-fetch-site'] === 'cross-site') throw new ForbiddenException('Cross-site request refused');
    const header = request.headers[CSRF_HEADER];
    const fromHeader = Array.isArray(header) ? header[0] : header;
    // A text/plain or other non-form body arrives as a string or buffer: it cannot carry the field.
    const body =
      request.body !== null && typeof request.body === 'object' && !Buffer.isBuffer(request.body)
        ? (request.body as Record<string, unknown>)
        : undefined;
    const fromForm = body && typeof body[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : undefined;
    if (!(await this.csrf.verify(request, fromHeader ?? fromForm))) {
      throw new ForbiddenException(
        'Missing or invalid CSRF token: fetch one from GET /api/csrf and send it as X-CSRF-Token',
      );
    }
    if (body && CSRF_FIELD in body) delete body[CSRF_FIELD];
    return true;
  }
}
