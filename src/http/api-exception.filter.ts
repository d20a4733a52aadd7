import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { LoginRedirect, safeNext } from './login-redirect';

interface ErrorBody {
  error: string;
  details?: unknown;
}

/**
 * Every error leaves as docs/api.md's `{"error": "...", "details"?}`. A 4xx keeps its message; anything
 * unexpected is logged and answered 500 without internals (a 5xx is a bug to fix, never a leak).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    if (exception instanceof LoginRedirect && !reply.sent) {
      reply.redirect(`/app/login?next=${encodeURIComponent(safeNext(exception.next))}`, 302);
      return;
    }
    const { status, body } = toResponse(exception);
    if (status >= 500) {
      this.logger.error(exception instanceof Error ? exception : String(exception), {
        method: request.method,
        url: request.routeOptions?.url,
      });
    }
    if (reply.sent) return;
    reply.code(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

export function toResponse(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'string') return { status, body: { error: response } };
    const r = response as { error?: unknown; message?: unknown; details?: unknown };
    // Nest's built-in exceptions put the text in `message` and the status name in `error`.
    const message =
      typeof r.message === 'string' ? r.message : typeof r.error === 'string' ? r.error : exception.message;
    const body: ErrorBody = { error: typeof r.error === 'string' && r.message === undefined ? r.error : message };
    if (r.details !== undefined) body.details = r.details;
    else if (Array.isArray(r.message)) body.details = r.message;
    return { status, body };
  }
  // Fastify's own client errors (malformed JSON, body too large, bad content type) carry a 4xx statusCode.
  const statusCode = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, body: { error: (exception as Error).message || 'Bad request' } };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { error: 'Internal error' } };
}
