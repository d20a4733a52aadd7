import { UnauthorizedException } from '@nestjs/common';

/** Pages (not /api) send anonymous visitors to the login page instead of answering 401. */
export class LoginRedirect extends UnauthorizedException {
  constructor(readonly next: string) {
    super('Sign in required');
  }
}

/** Only same-site relative paths are followed after sign-in: no open redirects. */
export function safeNext(next: string | undefined | null, fallback = '/app'): string {
  if (!next || typeof next !== 'string' || next.length > 512) return fallback;
  if (!/^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/.test(next)) return fallback;
  if (/%2f|%5c|%0d|%0a|%09|%00/i.test(next)) return fallback;
  return next;
}
