import { Inject, Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { jwtVerify, SignJWT } from 'jose';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EncryptionService } from '../crypto/encryption.service';
import { User } from '../database/entities';
import { UserRepository } from '../database/repositories/user.repository';

export const SESSION_COOKIE = 'bb_session';
const SESSION_DAYS = 7;
// Sliding expiry: a session used at least once a day keeps going; 7 idle days end it.
const REISSUE_AFTER_MS = 24 * 3600_000;
const ALGORITHM = 'HS256';

interface SessionClaims {
  sub: string;
  ver: number;
}

export interface SessionUser {
  user: User;
  issuedAt: number;
}

/**
 * Sessions are HS256 JWTs in an HttpOnly SameSite=Lax cookie, signed with a secret derived from the
 * encryption key. The user's session_version is checked on every request, so logout-everywhere,
 * removal, demotion and force re-auth end sessions at the very next request.
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly encryption: EncryptionService,
    private readonly users: UserRepository,
  ) {}

  async issue(reply: FastifyReply, request: FastifyRequest, user: Pick<User, 'id' | 'sessionVersion'>): Promise<void> {
    const token = await new SignJWT({ ver: user.sessionVersion })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(String(user.id))
      .setIssuedAt()
      .setExpirationTime(`${SESSION_DAYS}d`)
      .sign(this.encryption.sessionSecret());
    reply.setCookie(SESSION_COOKIE, token, this.cookieOptions(request, SESSION_DAYS * 86400));
  }

  /** Logout: every session of the user ends at its next request, wherever its cookie went. */
  async revokeAll(userId: number): Promise<void> {
    await this.users.bumpSessionVersion(userId);
  }

  clear(reply: FastifyReply, request: FastifyRequest): void {
    reply.clearCookie(SESSION_COOKIE, this.cookieOptions(request, 0));
  }

  /** The signed-in user, or null for no, expired, tampered or revoked sessions. */
  async resolve(request: FastifyRequest, reply?: FastifyReply): Promise<SessionUser | null> {
    const token = request.cookies?.[SESSION_COOKIE];
    if (!token) return null;
    let claims: SessionClaims & { iat?: number };
    try {
      const { payload } = await jwtVerify(token, this.encryption.sessionSecret(), { algorithms: [ALGORITHM] });
      claims = payload as unknown as SessionClaims & { iat?: number };
    } catch {
      return null;
    }
    const id = Number(claims.sub);
    if (!Number.isSafeInteger(id)) return null;
    const user = await this.users.findById(id);
    if (!user || user.sessionVersion !== claims.ver) return null;
    const issuedAt = (claims.iat ?? 0) * 1000;
    if (reply && Date.now() - issuedAt > REISSUE_AFTER_MS) await this.issue(reply, request, user);
    return { user, issuedAt };
  }

  isSecure(request: FastifyRequest): boolean {
    // request.protocol honours X-Forwarded-Proto only from a trusted proxy (TRUST_PROXY).
    return this.config.publicUrl.startsWith('https://') || request.protocol === 'https';
  }

  cookieOptions(request: FastifyRequest, maxAgeSeconds: number) {
    return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: this.isSecure(request), maxAge: maxAgeSeconds };
  }
}
