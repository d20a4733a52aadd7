import { Injectable, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { EntityManager } from 'typeorm';
import { CalendarsService } from '../calendars/calendars.service';
import { EncryptionService } from '../crypto/encryption.service';
import { DatabaseService } from '../database/database.service';
import { User } from '../database/entities';
import { OAuthTokenRepository } from '../database/repositories/oauth-token.repository';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { UserRepository } from '../database/repositories/user.repository';
import { IdTokenClaims } from '../google/google-oauth.service';
import { safeNext } from '../http/login-redirect';
import { registerSecret } from '../logging/redact';
import { checkHomeDomain } from './domain-policy';
import { VerifiedSignIn } from './google-sign-in.strategy';
import { SessionService } from './session.service';
import { SignInError } from './sign-in-errors';

/** The home Google account's tokens as Google returned them. */
export interface HomeTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scope: string;
}

/**
 * A home-domain user's account: created on their first sign-in (keyed by Google's `sub`, never linked
 * by email), their home tokens sealed in oauth_tokens, their main calendar row ensured.
 */
@Injectable()
export class HomeAccountService {
  private readonly logger = new Logger('SignIn');

  constructor(
    private readonly db: DatabaseService,
    private readonly users: UserRepository,
    private readonly tokens: OAuthTokenRepository,
    private readonly organizations: OrganizationRepository,
    private readonly encryption: EncryptionService,
    private readonly sessions: SessionService,
    private readonly calendars: CalendarsService,
  ) {}

  /** The callback of a home sign-in: policy, account, session. Returns where the browser goes next. */
  async complete(outcome: VerifiedSignIn, request: FastifyRequest, reply: FastifyReply): Promise<string> {
    const organization = await this.organizations.find();
    if (!organization) throw new SignInError('not-configured', 'setup');
    const refusal = checkHomeDomain(outcome.claims, organization.googleWorkspaceDomain);
    if (refusal) throw new SignInError(refusal, 'home', outcome.claims.email);
    const email = outcome.claims.email.toLowerCase();
    const known = await this.users.findByGoogleId(outcome.claims.sub);
    const sameEmail = await this.users.findByEmail(email);
    // A different Google account (new `sub`) claiming a registered email is refused, never linked.
    if (sameEmail && sameEmail.id !== known?.id) throw new SignInError('account-mismatch', 'home', email);
    const stored = known ? await this.tokens.findByEmail(known.id, email) : null;
    if (!outcome.refreshToken && !stored) {
      // Google sends a refresh token only with the first consent: ask for consent once more.
      if (outcome.pending.consented) throw new SignInError('google', 'home', 'Google sent no refresh token');
      const next = encodeURIComponent(outcome.pending.next ?? '/app');
      return `/auth/login?prompt=consent&login_hint=${encodeURIComponent(email)}&next=${next}`;
    }
    const tokens: HomeTokens = {
      accessToken: outcome.accessToken,
      refreshToken: outcome.refreshToken,
      expiresAt: outcome.expiresAt,
      scope: outcome.scope,
    };
    let user: User;
    let tokenId: number;
    if (known) {
      await this.users.update(known.id, {
        email,
        displayName: outcome.claims.name ?? known.displayName,
        lastLoginAt: new Date(),
      });
      tokenId = await this.storeTokens(known.id, outcome.claims, tokens);
      user = { ...known, email };
    } else {
      ({ user, tokenId } = await this.db.write((m) => this.createAccount(m, outcome.claims, tokens, false)));
      this.logger.log('New user signed in for the first time', { userId: user.id });
    }
    await this.ensureMainCalendar(user.id, tokenId);
    await this.sessions.issue(reply, request, user);
    return safeNext(outcome.pending.next);
  }

  /** A new user and their sealed home tokens, inside the caller's transaction (sign-in or the wizard). */
  async createAccount(
    m: EntityManager,
    claims: IdTokenClaims,
    tokens: HomeTokens,
    isAdmin: boolean,
  ): Promise<{ user: User; tokenId: number }> {
    const user = await this.users.insert(
      {
        email: claims.email,
        googleUserId: claims.sub,
        displayName: claims.name ?? null,
        isAdmin,
        lastLoginAt: new Date(),
      },
      m,
    );
    const tokenId = await this.storeTokens(user.id, claims, tokens, m);
    return { user, tokenId };
  }

  /** Best effort: the main calendar row needs Google (the primary calendar's id); sign-in must not fail on it. */
  async ensureMainCalendar(userId: number, tokenId: number): Promise<void> {
    try {
      await this.calendars.ensureMainCalendar(userId, tokenId);
    } catch (error) {
      this.logger.warn(`Could not set up the main calendar of user ${userId} yet: ${(error as Error).message}`, {
        userId,
      });
    }
  }

  private async storeTokens(
    userId: number,
    claims: IdTokenClaims,
    tokens: HomeTokens,
    m?: EntityManager,
  ): Promise<number> {
    // Every sign-in brings a new access token: rotating, so the set stays bounded.
    registerSecret(tokens.accessToken, 'rotating');
    registerSecret(tokens.refreshToken);
    const { token } = await this.tokens.upsert(
      {
        userId,
        accountType: 'home',
        googleAccountEmail: claims.email,
        googleSubject: claims.sub,
        accessTokenEncrypted: this.encryption.encrypt(tokens.accessToken),
        refreshTokenEncrypted: tokens.refreshToken ? this.encryption.encrypt(tokens.refreshToken) : null,
        tokenExpiry: tokens.expiresAt,
        scopes: tokens.scope,
      },
      m,
    );
    return token.id;
  }
}
