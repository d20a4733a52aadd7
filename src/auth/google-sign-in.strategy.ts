import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import {
  GoogleCallbackParameters,
  Profile,
  Strategy as GoogleStrategy,
  StrategyOptions,
  VerifyCallback,
} from 'passport-google-oauth20';
import { IdTokenClaims } from '../google/google-oauth.service';
import { PendingSignIn } from './oauth-state.store';

export const GOOGLE_SIGN_IN = 'busybridge-google';

/** The tokens of a finished code exchange, and the identity Google vouched for in the signed ID token. */
export interface VerifiedSignIn {
  kind: 'verified';
  claims: IdTokenClaims;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scope: string;
  pending: PendingSignIn;
}

/** The first leg: where to send the browser. */
export interface SignInRedirect {
  kind: 'redirect';
  url: string;
}

export type SignInOutcome = VerifiedSignIn | SignInRedirect;

/** Everything one request's strategy needs; built per request by GoogleSignInGuard. */
export interface PerRequestGoogle {
  strategy: StrategyOptions & { pkce: 'S256' };
  verify: (
    accessToken: string,
    refreshToken: string,
    params: GoogleCallbackParameters,
    profile: Profile,
    done: VerifyCallback,
  ) => void;
  /** passport-google-oauth20's authorization options: accessType, prompt, hd, loginHint, scope. */
  authenticate: Record<string, unknown>;
}

type Actions = Pick<passport.StrategyCreatedStatic, 'success' | 'fail' | 'redirect' | 'pass' | 'error'>;

/** passport-strategy's base class; @types/passport declares it only as a constructor value. */
const BaseStrategy = passport.Strategy as unknown as new () => passport.Strategy;

class DelegatingStrategy extends BaseStrategy {
  name = GOOGLE_SIGN_IN;

  /**
   * passport-google-oauth20 is built afresh for every request from the credentials in the database (or
   * the wizard's, before setup), so changing them needs no restart and nothing is shared between
   * concurrent sign-ins. The first leg's redirect is handed back as a result instead of being written
   * to the raw response, so Nest (and Fastify's cookies) finish the reply.
   */
  authenticate(this: passport.StrategyCreated<this>, req: unknown, options?: { google: PerRequestGoogle }): void {
    if (!options?.google) return this.error(new Error('GoogleSignInStrategy runs only through GoogleSignInGuard'));
    const { strategy, verify, authenticate } = options.google;
    const inner = Object.create(new GoogleStrategy(strategy, verify)) as GoogleStrategy & Actions;
    inner.success = (user: unknown, info?: object) => this.success(user as Express.User, info);
    inner.fail = ((challenge: unknown, status?: number) => this.fail(challenge as string, status)) as Actions['fail'];
    inner.error = (err) => this.error(err);
    inner.pass = () => this.pass();
    inner.redirect = (url: string) =>
      this.success({ kind: 'redirect', url } satisfies SignInRedirect as unknown as Express.User);
    (inner.authenticate as (req: unknown, options: unknown) => void)(req, authenticate);
  }
}

/**
 * Registered once with passport under GOOGLE_SIGN_IN. It holds no state of its own: several app
 * instances in one process (the test suites) may register it and any of them serves all.
 */
@Injectable()
export class GoogleSignInStrategy extends PassportStrategy(DelegatingStrategy, GOOGLE_SIGN_IN) {
  validate(): never {
    throw new Error('GoogleSignInStrategy verifies per request (see GoogleSignInGuard)');
  }
}
