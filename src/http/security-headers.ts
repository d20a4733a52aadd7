import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyInstance, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';

const NONCE = Symbol('cspNonce');
type WithNonce = FastifyRequest & { [NONCE]?: string };

/** This request's CSP nonce; pages put it on their <script> tags. */
export function cspNonce(request: FastifyRequest): string {
  const r = request as WithNonce;
  // base64url without padding: valid in CSP and untouched by Handlebars' escaping (which rewrites '=').
  if (!r[NONCE]) r[NONCE] = randomBytes(18).toString('base64url');
  return r[NONCE] as string;
}

/**
 * Scripts only from us and only with this response's nonce (Alpine is its CSP build and htmx runs
 * without eval, so neither needs 'unsafe-eval'); no inline styles; nothing may frame us.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Cheap headers on every response (test/security/headers-browser proves them). */
export function registerSecurityHeaders(app: NestFastifyApplication, publicUrl: string): void {
  // With an https PUBLIC_URL the browser only ever reaches us over TLS, whatever address the proxy comes from.
  const httpsOnly = publicUrl.startsWith('https://');
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('content-security-policy', contentSecurityPolicy(cspNonce(request)));
    // request.protocol honours X-Forwarded-Proto only from a trusted proxy (TRUST_PROXY).
    if (httpsOnly || request.protocol === 'https')
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // Pages and API answers carry personal data: never cached unless a route decided otherwise (static assets).
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
