import { Inject, Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { jwtVerify, SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EncryptionService } from '../crypto/encryption.service';
import { User } from '../database/entities';
import { UserRepository } from '../database/repositories/user.repository';
import { singleCookie } from './cookies';

export const SESSION_COOKIE = 'bb_session';
const SESSION_DAYS = 7;
// Sliding expiry: a session used at least once a day keeps going; 7 idle days end it.
const REISSUE_AFTER_MS = 24 * 3600_000;
const ALGORITHM = 'HS256';
const DAY_MS = 86400_000;

interface SessionClaims {
  sub: string;
  ver: number;
  /** Session id: random per sign-in, kept by the sliding re-issue (CSRF tokens and connect flows are bound to it). */
  sid: string;
  /** Sign-in time (seconds): the absolute lifetime counts from here, whatever the re-issues. */
  sia: number;
  iat?: number;
}

export interface SessionUser {
  user: User;
  issuedAt: number;
  sessionId: string;
  signedInAt: number;
}

const SESSION_ID = Symbol('sessionId');
type WithSessionId = FastifyRequest & { [SESSION_ID]?: Promise<string> };

/**
 * Sessions are HS256 JWTs in an HttpOnly SameSite=Lax cookie, signed with a secret derived from the
 * encryption key. The user's session_version is checked on every request, so logout-everywhere,
 * removal, demotion and force re-auth end sessions at the very next request. A session lives 7 days past
 * its last use and never longer than SESSION_MAX_DAYS after its sign-in. With an https PUBLIC_URL every
 * cookie is `__Host-` prefixed, so no other host (a sibling subdomain) can set or shadow it.
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly encryption: EncryptionService,
    private readonly users: UserRepository,
  ) {}

  /** A new session (sign-in), or the re-issue of `from` (same id, same sign-in time). */
  async issue(
    reply: FastifyReply,
    request: FastifyRequest,
    user: Pick<User, 'id' | 'sessionVersion'>,
    from?: Pick<SessionClaims, 'sid' | 'sia'>,
  ): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const sid = from?.sid ?? randomBytes(18).toString('base64url');
    const sia = from?.sia ?? now;
    const expires = Math.min(now + SESSION_DAYS * 86400, sia + this.config.sessionMaxDays * 86400);
    const token = await new SignJWT({ ver: user.sessionVersion, sid, sia })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(String(user.id))
      .setIssuedAt(now)
      .setExpirationTime(expires)
      .sign(this.encryption.sessionSecret());
    reply.setCookie(this.cookieName(SESSION_COOKIE), token, this.cookieOptions(request, expires - now));
    // What the rest of this request binds to (a page rendered with the new session's CSRF token).
    (request as WithSessionId)[SESSION_ID] = Promise.resolve(sid);
  }

  /** Logout: every session of the user ends at its next request, wherever its cookie went. */
  async revokeAll(userId: number): Promise<void> {
    await this.users.bumpSessionVersion(userId);
  }

  clear(reply: FastifyReply, request: FastifyRequest): void {
    reply.clearCookie(this.cookieName(SESSION_COOKIE), this.cookieOptions(request, 0));
    (request as WithSessionId)[SESSION_ID] = Promise.resolve('');
  }

  /** The signed-in user, or null for no, expired, tampered, revoked, too old or ambiguous sessions. */
  async resolve(request: FastifyRequest, reply?: FastifyReply): Promise<SessionUser | null> {
    const claims = await this.verify(request);
    if (!claims) return null;
    const id = Number(claims.sub);
    if (!Number.isSafeInteger(id)) return null;
    const user = await this.users.findById(id);
    if (!user || user.sessionVersion !== claims.ver) return null;
    const issuedAt = (claims.iat ?? 0) * 1000;
    if (reply && Date.now() - issuedAt > REISSUE_AFTER_MS) await this.issue(reply, request, user, claims);
    return { user, issuedAt, sessionId: claims.sid, signedInAt: claims.sia * 1000 };
  }

  /** The id of this request's session ('' without a valid one): what CSRF tokens are bound to. */
  sessionId(request: FastifyRequest): Promise<string> {
    const r = request as WithSessionId;
    r[SESSION_ID] ??= this.verify(request).then((claims) => claims?.sid ?? '');
    return r[SESSION_ID];
  }

  /** A cookie's name here: `__Host-` prefixed when the site is served over https. */
  cookieName(base: string): string {
    return this.hostOnly() ? `__Host-${base}` : base;
  }

  /** The value of one of our cookies, or null when absent or sent twice (see singleCookie). */
  readCookie(request: FastifyRequest, base: string): string | null {
    return singleCookie(request, this.cookieName(base));
  }

  isSecure(request: FastifyRequest): boolean {
    // request.protocol honours X-Forwarded-Proto only from a trusted proxy (TRUST_PROXY).
    return this.hostOnly() || request.protocol === 'https';
  }

  cookieOptions(request: FastifyRequest, maxAgeSeconds: number) {
    return {
      path: '/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: this.isSecure(request),
      maxAge: maxAgeSeconds,
    };
  }

  /** `__Host-` cookies must be Secure with Path=/ and no Domain: only possible with an https PUBLIC_URL. */
  hostOnly(): boolean {
    return this.config.publicUrl.startsWith('https://');
  }

  private async verify(request: FastifyRequest): Promise<SessionClaims | null> {
    const token = this.readCookie(request, SESSION_COOKIE);
    if (!token) return null;
    let claims: SessionClaims;
    try {
      const { payload } = await jwtVerify(token, this.encryption.sessionSecret(), { algorithms: [ALGORITHM] });
      claims = payload as unknown as SessionClaims;
    } catch {
      return null;
    }
    if (typeof claims.sid !== 'string' || !claims.sid || typeof claims.sia !== 'number') return null;
    if (Date.now() - claims.sia * 1000 > this.config.sessionMaxDays * DAY_MS) return null;
    return claims;
  }
}
