import { FastifyRequest } from 'fastify';

/**
 * The value of cookie `name`, or null when it is absent or sent more than once. A sibling subdomain can plant a
 * second cookie of the same name (for a longer path, so the browser sends it first); the parser keeps the first,
 * so honouring either copy would let the planter choose the session, the CSRF seed or the wizard.
 */
export function singleCookie(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie ?? '';
  let copies = 0;
  for (const pair of header.split(';')) {
    const i = pair.indexOf('=');
    if (i > 0 && pair.slice(0, i).trim() === name) copies++;
  }
  if (copies > 1) return null;
  return request.cookies?.[name] ?? null;
}
