import { Inject, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Profile } from 'passport-google-oauth20';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { GoogleOAuthService, IdTokenClaims, OAuthCredentials } from '../google/google-oauth.service';
import { HOME_SCOPES, missingScopes } from '../google/scopes';
import { safeNext } from '../http/login-redirect';
import { registerSecret } from '../logging/redact';
import { WizardStore } from '../setup/wizard.store';
import { setupAdminDomain } from './domain-policy';
import { VerifiedSignIn } from './google-sign-in.strategy';
import { OAuthStateStore, PendingSignIn } from './oauth-state.store';
import { SignInError, SignInFlow } from './sign-in-errors';

/** Which OAuth client signs this browser in, and how. */
export interface SignInContext {
  flow: SignInFlow;
  credentials: OAuthCredentials;
  pending: PendingSignIn;
  /** Authorization options of passport-google-oauth20. */
  authorization: { scope: string[]; accessType: 'offline'; prompt?: string; hd?: string; loginHint?: string };
}

/** Thrown when there is nothing to sign in to yet: the visitor belongs in the wizard. */
export class GoToSetup extends Error {}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Decides, per request, which credentials the sign-in uses: the organization's (home sign-in) or,
 * before setup, the ones the wizard has just tested (the admin's sign-in at step 3).
 */
@Injectable()
export class SignInService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly organizations: OrganizationRepository,
    private readonly oauth: GoogleOAuthService,
    private readonly wizards: WizardStore,
    private readonly states: OAuthStateStore,
  ) {}

  async loginContext(request: FastifyRequest): Promise<SignInContext> {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const hint = single(query.login_hint);
    const loginHint = hint && EMAIL.test(hint) ? hint : undefined;
    const organization = await this.organizations.find();
    if (organization) {
      const consent = single(query.prompt) === 'consent';
      return {
        flow: 'home',
        credentials: await this.oauth.credentials(),
        pending: { flow: 'home', next: safeNext(single(query.next)), consented: consent },
        authorization: {
          scope: HOME_SCOPES,
          accessType: 'offline',
          hd: organization.googleWorkspaceDomain,
          loginHint,
          // Set when Google gave no refresh token for a new account: asking for consent again yields one.
          prompt: consent ? 'consent' : undefined,
        },
      };
    }
    const wizard = this.wizards.find(request);
    if (!wizard?.credentials) throw new GoToSetup();
    return {
      flow: 'setup',
      credentials: wizard.credentials,
      pending: { flow: 'setup', wizardId: wizard.id },
      // Consent every time: the admin's refresh token must come with this sign-in.
      authorization: { scope: HOME_SCOPES, accessType: 'offline', prompt: 'consent select_account', loginHint },
    };
  }

  /** The callback's credentials follow the sign-in its `state` started; an unknown state ends here. */
  async callbackContext(request: FastifyRequest): Promise<SignInContext> {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const organization = await this.organizations.find();
    const guess: SignInFlow = organization ? 'home' : 'setup';
    if (!single(query.code) && !single(query.error))
      throw new SignInError('state', guess, 'the callback carries neither a code nor an error');
    const pending = this.states.peek(request, query.state);
    if (!pending) throw new SignInError('state', guess);
    if (pending.flow === 'home') {
      if (!organization) throw new SignInError('not-configured', 'setup');
      return {
        flow: 'home',
        credentials: await this.oauth.credentials(),
        pending,
        authorization: { scope: HOME_SCOPES, accessType: 'offline' },
      };
    }
    const wizard = this.wizards.byId(pending.wizardId);
    if (organization || !wizard?.credentials || wizard.id !== this.wizards.find(request)?.id)
      throw new SignInError('state', guess);
    return {
      flow: 'setup',
      credentials: wizard.credentials,
      pending,
      authorization: { scope: HOME_SCOPES, accessType: 'offline' },
    };
  }

  /**
   * Identity comes only from the ID token, verified (signature, issuer, audience, expiry) against
   * Google's keys; the userinfo answer must agree on the subject and is otherwise only decoration.
   */
  async verifyIdentity(
    flow: SignInFlow,
    credentials: OAuthCredentials,
    idToken: string | undefined,
    profile: Profile | undefined,
  ): Promise<IdTokenClaims> {
    if (!idToken) throw new SignInError('google', flow, 'Google returned no ID token');
    let claims: IdTokenClaims;
    try {
      claims = await this.oauth.verifyIdToken(this.oauth.client(credentials), idToken, credentials.clientId);
    } catch (error) {
      throw new SignInError('google', flow, (error as Error).message);
    }
    if (profile?.id && profile.id !== claims.sub)
      throw new SignInError('google', flow, 'the userinfo subject differs from the ID token');
    return claims;
  }

  checkScopes(flow: SignInFlow, granted: string): void {
    if (missingScopes(granted, HOME_SCOPES).length > 0) throw new SignInError('scopes', flow);
  }

  /** Step 3 of the wizard: remember the admin (in memory) and go back to the wizard. */
  completeSetup(outcome: VerifiedSignIn, request: FastifyRequest): string {
    const wizard = this.wizards.byId(outcome.pending.wizardId);
    if (!wizard || wizard.id !== this.wizards.find(request)?.id) throw new SignInError('state', 'setup');
    const decided = setupAdminDomain(outcome.claims);
    if ('refusal' in decided) throw new SignInError(decided.refusal, 'setup');
    // The wizard asks for consent, so Google must have sent one; without it the admin's sync could not run.
    if (!outcome.refreshToken) throw new SignInError('google', 'setup', 'Google sent no refresh token');
    registerSecret(outcome.accessToken, 'rotating');
    registerSecret(outcome.refreshToken);
    wizard.admin = {
      claims: outcome.claims,
      domain: decided.domain,
      accessToken: outcome.accessToken,
      refreshToken: outcome.refreshToken,
      expiresAt: outcome.expiresAt,
      scope: outcome.scope,
    };
    wizard.adminConfirmed = false;
    return '/setup/step/3';
  }
}
