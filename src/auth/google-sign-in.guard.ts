import { ExecutionContext, HttpException, Inject, Injectable } from '@nestjs/common';
import { AuthGuard, IAuthModuleOptions } from '@nestjs/passport';
import { FastifyReply, FastifyRequest } from 'fastify';
import { GoogleCallbackParameters, Profile, StrategyOptions, VerifyCallback } from 'passport-google-oauth20';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { googleEndpoints } from '../config/google-endpoints';
import { GoogleOAuthService } from '../google/google-oauth.service';
import { matchedRoute } from '../http/matched-route';
import { GOOGLE_SIGN_IN, PerRequestGoogle, SignInOutcome, VerifiedSignIn } from './google-sign-in.strategy';
import { OAuthStateStore, PendingSignIn } from './oauth-state.store';
import { SignInError, SignInFlow } from './sign-in-errors';
import { SignInContext, SignInService } from './sign-in.service';

type StateCallback = (err: Error | null, ok?: string | boolean, info?: unknown) => void;
const FLOW = Symbol('signInFlow');
type SignInRequest = FastifyRequest & { [FLOW]?: SignInFlow };

export function signInFlowOf(request: FastifyRequest): SignInFlow | undefined {
  return (request as SignInRequest)[FLOW];
}

/**
 * Runs passport-google-oauth20 for /auth/login and /auth/callback with options built for this request:
 * the credentials (database or wizard), Google's endpoints from GOOGLE_BASE_URL, a `state` store bound
 * to a cookie, PKCE, and a verify step that trusts only the signed ID token.
 */
@Injectable()
export class GoogleSignInGuard extends AuthGuard(GOOGLE_SIGN_IN) {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly signIn: SignInService,
    private readonly oauth: GoogleOAuthService,
    private readonly states: OAuthStateStore,
  ) {
    super();
  }

  async getAuthenticateOptions(context: ExecutionContext): Promise<IAuthModuleOptions & { google: PerRequestGoogle }> {
    const request = context.switchToHttp().getRequest<SignInRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const isCallback = matchedRoute(request) === '/auth/callback';
    request[FLOW] = undefined;
    const ctx = isCallback ? await this.signIn.callbackContext(request) : await this.signIn.loginContext(request);
    request[FLOW] = ctx.flow;
    return { session: false, google: this.google(ctx, request, reply) };
  }

  handleRequest<TUser = SignInOutcome>(err: unknown, user: unknown, info: unknown, context: ExecutionContext): TUser {
    const flow = signInFlowOf(context.switchToHttp().getRequest<FastifyRequest>()) ?? 'home';
    if (err instanceof SignInError || err instanceof HttpException) throw err;
    // Token endpoint refusals (a replayed or foreign code: invalid_grant) and transport failures.
    if (err) throw new SignInError('google', flow, (err as Error).message);
    if (!user) {
      const message = (info as { message?: unknown } | undefined)?.message;
      throw new SignInError(message === 'state' ? 'state' : 'denied', flow);
    }
    return user as TUser;
  }

  private google(ctx: SignInContext, request: FastifyRequest, reply: FastifyReply): PerRequestGoogle {
    const endpoints = googleEndpoints(this.config);
    let verified: PendingSignIn | null = null;
    // Arity matters to passport-oauth2: store(req, verifier, state, meta, cb) and verify(req, state, meta, cb).
    const store = {
      store: (_req: unknown, verifier: string, _state: unknown, _meta: unknown, cb: StateCallback) =>
        cb(null, this.states.create(reply, request, { ...ctx.pending, codeVerifier: verifier })),
      verify: (_req: unknown, presented: unknown, _meta: unknown, cb: StateCallback) => {
        verified = this.states.consume(request, presented);
        this.states.clearCookie(reply, request);
        if (!verified) return cb(null, false, { message: 'state' });
        return cb(null, verified.codeVerifier ?? true, {});
      },
    };
    const strategy = {
      clientID: ctx.credentials.clientId,
      clientSecret: ctx.credentials.clientSecret,
      callbackURL: this.oauth.redirectUri('/auth/callback'),
      authorizationURL: endpoints.authorize,
      tokenURL: endpoints.token,
      userProfileURL: endpoints.userinfo,
      scope: ctx.authorization.scope,
      store,
      pkce: 'S256',
    } as unknown as StrategyOptions & { pkce: 'S256' };
    const verify = (
      accessToken: string,
      refreshToken: string,
      params: GoogleCallbackParameters,
      profile: Profile,
      done: VerifyCallback,
    ) => {
      void (async (): Promise<VerifiedSignIn> => {
        if (!verified) throw new SignInError('state', ctx.flow);
        const claims = await this.signIn.verifyIdentity(ctx.flow, ctx.credentials, params.id_token, profile);
        this.signIn.checkScopes(ctx.flow, params.scope ?? '');
        return {
          kind: 'verified',
          claims,
          accessToken,
          refreshToken: refreshToken || null,
          expiresAt: typeof params.expires_in === 'number' ? new Date(Date.now() + params.expires_in * 1000) : null,
          scope: params.scope ?? '',
          pending: verified,
        };
      })().then(
        (outcome) => done(null, outcome as unknown as Express.User),
        (error: unknown) => done(error),
      );
    };
    return { strategy, verify, authenticate: { ...ctx.authorization } };
  }
}
