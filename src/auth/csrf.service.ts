import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { EncryptionService } from '../crypto/encryption.service';
import { SessionService } from './session.service';

export const CSRF_COOKIE = 'bb_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

/**
 * Signed double-submit: a random HttpOnly cookie, and a token = HMAC(session secret, cookie) that
 * pages and scripts send back in X-CSRF-Token (forms: _csrf). Another site can neither read the
 * cookie nor compute the token.
 */
@Injectable()
export class CsrfService {
  constructor(private readonly encryption: EncryptionService, private readonly sessions: SessionService) {}

  /** The token for this browser, setting its cookie if it has none. */
  tokenFor(request: FastifyRequest, reply: FastifyReply): string {
    let seed = request.cookies?.[CSRF_COOKIE];
    if (!seed || !/^[A-Za-z0-9_-]{32,64}$/.test(seed)) {
      seed = randomBytes(32).toString('base64url');
      reply.setCookie(CSRF_COOKIE, seed, this.sessions.cookieOptions(request, 30 * 86400));
      // Later code in this request (a page rendering a form) must see the same seed.
      (request.cookies as Record<string, string>)[CSRF_COOKIE] = seed;
    }
    return this.sign(seed);
  }

  verify(request: FastifyRequest, presented: string | undefined): boolean {
    const seed = request.cookies?.[CSRF_COOKIE];
    if (!seed || !presented) return false;
    const expected = Buffer.from(this.sign(seed));
    const given = Buffer.from(presented);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(seed: string): string {
    return createHmac('sha256', this.encryption.sessionSecret()).update(`csrf:${seed}`).digest('base64url');
  }
}
