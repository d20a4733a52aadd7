import { ExecutionContext, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { FastifyRequest } from 'fastify';
import { matchedRoute } from './matched-route';

/** Names of the throttlers; other rooms may tune theirs with `@Throttle({ [WEBHOOK_THROTTLER]: {...} })`. */
export const DEFAULT_THROTTLER = 'default';
export const AUTH_THROTTLER = 'auth';
export const WEBHOOK_THROTTLER = 'webhook';
export const WEBHOOK_PATH = '/api/webhooks/google-calendar';

/**
 * Requests per client IP per minute. The default is generous because one page load is several requests
 * and the test suites drive everything from 127.0.0.1; sign-in is a password-guessing and
 * code-replay target and the webhook is reachable by anyone, so both get far less.
 */
export const THROTTLE_LIMITS = {
  [DEFAULT_THROTTLER]: { ttl: 60_000, limit: 6000 },
  [AUTH_THROTTLER]: { ttl: 60_000, limit: 120 },
  [WEBHOOK_THROTTLER]: { ttl: 60_000, limit: 1200 },
} as const;

/** The matched route, as the CSRF guard sees it: `/%61uth/login` is throttled as `/auth/login`. */
function path(context: ExecutionContext): string {
  return matchedRoute(context.switchToHttp().getRequest<FastifyRequest>()) ?? '';
}

/** In-memory limits on every route; 429 answers in the API error shape. */
@Module({
  imports: [
    ThrottlerModule.forRoot({
      errorMessage: 'Too many requests: wait a minute and try again',
      throttlers: [
        { name: DEFAULT_THROTTLER, ...THROTTLE_LIMITS[DEFAULT_THROTTLER] },
        { name: AUTH_THROTTLER, ...THROTTLE_LIMITS[AUTH_THROTTLER], skipIf: (c) => !path(c).startsWith('/auth/') },
        { name: WEBHOOK_THROTTLER, ...THROTTLE_LIMITS[WEBHOOK_THROTTLER], skipIf: (c) => path(c) !== WEBHOOK_PATH },
      ],
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class ThrottlingModule {}
