import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { CSRF_FIELD, CSRF_HEADER, CsrfService } from './csrf.service';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PROTECTED_PREFIXES = ['/api/', '/setup', '/auth/logout', '/admin', '/app'];
// Google's push notifications carry no cookie; the channel token authenticates them instead.
const EXEMPT = new Set(['/api/webhooks/google-calendar']);

/** Global guard: every unsafe request to the paths of API.md carries a valid CSRF token, else 403. */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly csrf: CsrfService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!UNSAFE.has(request.method)) return true;
    const path = request.url.split('?')[0];
    if (EXEMPT.has(path) || !PROTECTED_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`) || path === p)) return true;
    if (request.headers['sec-fetch-site'] === 'cross-site') throw new ForbiddenException('Cross-site request refused');
    const header = request.headers[CSRF_HEADER];
    const fromHeader = Array.isArray(header) ? header[0] : header;
    // A text/plain or other non-form body arrives as a string or buffer: it cannot carry the field.
    const body = request.body !== null && typeof request.body === 'object' && !Buffer.isBuffer(request.body) ? (request.body as Record<string, unknown>) : undefined;
    const fromForm = body && typeof body[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : undefined;
    if (!this.csrf.verify(request, fromHeader ?? fromForm)) {
      throw new ForbiddenException('Missing or invalid CSRF token: fetch one from GET /api/csrf and send it as X-CSRF-Token');
    }
    if (body && CSRF_FIELD in body) delete body[CSRF_FIELD];
    return true;
  }
}
