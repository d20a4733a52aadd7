import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { EncryptionService } from '../crypto/encryption.service';
import { SessionService } from './session.service';

export const CSRF_COOKIE = 'bb_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';
const SEED = /^[A-Za-z0-9_-]{32,64}$/;

/**
 * Signed double-submit: a random HttpOnly cookie, and a token = HMAC(session secret, cookie, session id) that
 * pages and scripts send back in X-CSRF-Token (forms: _csrf). Another site can neither read the cookie nor
 * compute the token; and as the token is bound to the session, a seed cookie planted by a sibling subdomain
 * (with a token its planter fetched for it) is worthless in the victim's session.
 */
@Injectable()
export class CsrfService {
  constructor(
    private readonly encryption: EncryptionService,
    private readonly sessions: SessionService,
  ) {}

  /** The token for this browser and session, setting its cookie if it has none. */
  async tokenFor(request: FastifyRequest, reply: FastifyReply): Promise<string> {
    let seed = this.sessions.readCookie(request, CSRF_COOKIE);
    if (!seed || !SEED.test(seed)) {
      seed = randomBytes(32).toString('base64url');
      reply.setCookie(this.sessions.cookieName(CSRF_COOKIE), seed, this.sessions.cookieOptions(request, 30 * 86400));
      // Later code in this request (a page rendering a form) must see the same seed.
      (request.cookies as Record<string, string>)[this.sessions.cookieName(CSRF_COOKIE)] = seed;
    }
    return this.sign(seed, await this.sessions.sessionId(request));
  }

  async verify(request: FastifyRequest, presented: string | undefined): Promise<boolean> {
    const seed = this.sessions.readCookie(request, CSRF_COOKIE);
    if (!seed || !presented) return false;
    const expected = Buffer.from(this.sign(seed, await this.sessions.sessionId(request)));
    const given = Buffer.from(presented);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(seed: string, sessionId: string): string {
    return createHmac('sha256', this.encryption.sessionSecret())
      .update(`csrf:${seed}:${sessionId}`)
      .digest('base64url');
  }
}
