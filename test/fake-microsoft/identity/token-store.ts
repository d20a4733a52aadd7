import { createHash } from 'node:crypto';
import { KeyRing } from '../../fake-shared/keys';
import { AadError } from '../errors';
import { newToken } from '../ids';
import { AppRegistration, PERSONAL_TENANT_ID, User } from '../model';
import { World } from '../world';
import { scopeAnswer } from './scopes';

export interface AuthCode {
  clientId: string;
  userId: string;
  scopes: string[];
  redirectUri: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

interface StoredCode extends AuthCode {
  expiresAtMs: number;
  used: boolean;
}

interface IssuedToken {
  clientId: string;
  userId: string;
  scopes: string[];
  generation: number;
  /** Access tokens: expiry. Refresh tokens: last use (inactivity). */
  atMs: number;
}

export interface AccessContext {
  user: User;
  clientId: string;
  scopes: string[];
}

export interface TokenResponse {
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

/** Why the next refresh of a user fails; set by the control API, cleared by a new sign-in. */
type RefreshBlock = 'inactive' | 'revoked';

export class TokenStore {
  private codes = new Map<string, StoredCode>();
  private access = new Map<string, IssuedToken>();
  private refreshTokens = new Map<string, IssuedToken>();
  /** `${clientId}|${userId}` -> generation; bumping it kills every token of that grant. */
  private generations = new Map<string, number>();
  private blocks = new Map<string, RefreshBlock>();
  private answers = 0;

  constructor(
    private readonly world: World,
    private readonly keys: KeyRing,
    private readonly publicUrl: () => string,
  ) {}

  reset(): void {
    for (const m of [this.codes, this.access, this.refreshTokens, this.generations, this.blocks]) m.clear();
    this.answers = 0;
  }

  createCode(input: AuthCode): string {
    const code = newToken('1.AQ', 96);
    this.codes.set(code, { ...input, expiresAtMs: this.world.clock.now() + 600_000, used: false });
    return code;
  }

  authenticateClient(clientId: string | undefined, secret: string | undefined): AppRegistration {
    const app = clientId ? this.world.apps.get(clientId) : undefined;
    if (!app)
      throw new AadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId ?? ''}' was not found in the directory.`,
      );
    if (app.clientSecret !== undefined && secret === undefined)
      throw new AadError(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    if (app.clientSecret !== undefined && secret !== app.clientSecret)
      throw new AadError(
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      );
    return app;
  }

  async redeemCode(
    app: AppRegistration,
    code: string,
    redirectUri?: string,
    verifier?: string,
  ): Promise<TokenResponse> {
    const rec = this.codes.get(code);
    if (!rec || rec.clientId !== app.clientId)
      throw new AadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    if (rec.used)
      throw new AadError(
        400,
        'invalid_grant',
        54005,
        'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
      );
    if (rec.expiresAtMs < this.world.clock.now())
      throw new AadError(
        400,
        'invalid_grant',
        70008,
        'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
      );
    if (redirectUri !== rec.redirectUri)
      throw new AadError(
        400,
        'invalid_grant',
        50148,
        'The redirect_uri specified in the token request does not match the redirect_uri used when the authorization code was obtained.',
      );
    if (rec.codeChallenge && !this.verifierMatches(rec, verifier))
      throw new AadError(
        400,
        'invalid_grant',
        501481,
        'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      );
    if (!rec.codeChallenge && app.clientSecret === undefined)
      throw new AadError(
        400,
        'invalid_request',
        9002327,
        'Proof Key for Code Exchange is required for cross-origin authorization code redemption.',
      );
    rec.used = true;
    const user = this.user(rec.userId);
    this.blocks.delete(`${app.clientId}|${user.id}`);
    return this.issue(app.clientId, user, rec.scopes, rec.nonce);
  }

  async refresh(app: AppRegistration, token: string): Promise<TokenResponse> {
    const rec = this.refreshTokens.get(token);
    if (!rec || rec.clientId !== app.clientId)
      throw new AadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    const block = this.blocks.get(`${rec.clientId}|${rec.userId}`);
    if (block === 'revoked')
      throw new AadError(
        400,
        'invalid_grant',
        50173,
        'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
      );
    if (rec.generation !== this.generation(rec.clientId, rec.userId))
      throw new AadError(
        400,
        'invalid_grant',
        70008,
        'The provided authorization code or refresh token has expired due to inactivity.',
      );
    const inactiveSec = (this.world.clock.now() - rec.atMs) / 1000;
    if (block === 'inactive' || inactiveSec > this.world.options.refreshTokenInactivitySec) {
      const days = Math.floor(Math.max(inactiveSec, this.world.options.refreshTokenInactivitySec) / 86_400);
      throw new AadError(
        400,
        'invalid_grant',
        700082,
        `The refresh token has expired due to inactivity. The token was issued on ${new Date(rec.atMs).toISOString()} and was inactive for ${days}.00:00:00.`,
      );
    }
    // The used token is not revoked (Microsoft documents this); it simply stops being the newest one.
    rec.atMs = this.world.clock.now();
    return this.issue(app.clientId, this.user(rec.userId), rec.scopes, undefined);
  }

  /** Control: the next refresh of this user's tokens fails with the given reason. */
  block(userId: string, why: RefreshBlock): void {
    for (const app of this.world.apps.keys()) this.blocks.set(`${app}|${userId}`, why);
    if (why === 'revoked')
      for (const app of this.world.apps.keys())
        this.generations.set(`${app}|${userId}`, this.generation(app, userId) + 1);
  }

  resolve(token: string | undefined): AccessContext | 'expired' | undefined {
    const rec = token ? this.access.get(token) : undefined;
    if (!rec || rec.generation !== this.generation(rec.clientId, rec.userId)) return undefined;
    if (rec.atMs <= this.world.clock.now()) return 'expired';
    const user = this.world.users.get(rec.userId);
    return user && { user, clientId: rec.clientId, scopes: rec.scopes };
  }

  mintAccessToken(user: User, clientId: string, scopes: string[]): string {
    return this.newAccess(clientId, user, scopes).token;
  }

  private async issue(
    clientId: string,
    user: User,
    scopes: string[],
    nonce: string | undefined,
  ): Promise<TokenResponse> {
    const { token, lifetime } = this.newAccess(clientId, user, scopes);
    const style = this.world.options.scopeStyle;
    const qualified = style === 'qualified' || (style === 'alternate' && this.answers++ % 2 === 1);
    const out: TokenResponse = {
      token_type: 'Bearer',
      scope: scopeAnswer(scopes, qualified),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: token,
    };
    if (scopes.includes('offline_access')) {
      out.refresh_token = newToken('1.AQsA', 180);
      this.refreshTokens.set(out.refresh_token, {
        clientId,
        userId: user.id,
        scopes,
        generation: this.generation(clientId, user.id),
        atMs: this.world.clock.now(),
      });
    }
    if (scopes.includes('openid')) out.id_token = await this.idToken(clientId, user, scopes, nonce);
    return out;
  }

  private newAccess(clientId: string, user: User, scopes: string[]): { token: string; lifetime: number } {
    const lifetime = this.world.options.accessTokenLifetimeSec;
    const token = newToken('eyJ0eXAiOiJKV1QiLCJub25jZSI6', 600);
    this.access.set(token, {
      clientId,
      userId: user.id,
      scopes,
      generation: this.generation(clientId, user.id),
      atMs: this.world.clock.now() + lifetime * 1000,
    });
    return { token, lifetime };
  }

  private generation(clientId: string, userId: string): number {
    return this.generations.get(`${clientId}|${userId}`) ?? 1;
  }

  private user(id: string): User {
    const u = this.world.users.get(id);
    if (!u) throw new AadError(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
    return u;
  }

  private verifierMatches(rec: AuthCode, verifier?: string): boolean {
    if (!verifier) return false;
    if ((rec.codeChallengeMethod ?? 'plain') === 'plain') return verifier === rec.codeChallenge;
    return createHash('sha256').update(verifier).digest('base64url') === rec.codeChallenge;
  }

  private async idToken(clientId: string, user: User, scopes: string[], nonce: string | undefined): Promise<string> {
    const now = Math.floor(this.world.clock.now() / 1000);
    const tid = user.personal ? PERSONAL_TENANT_ID : user.tenantId;
    const claims: Record<string, unknown> = {
      ver: '2.0',
      iss: `${this.publicUrl()}/${tid}/v2.0`,
      aud: clientId,
      iat: now,
      nbf: now,
      exp: now + 3600,
      tid,
      sub: createHash('sha256').update(`${clientId}|${user.id}`).digest('base64url').slice(0, 43),
      uti: newToken('', 16),
    };
    if (scopes.includes('profile'))
      Object.assign(claims, { oid: user.id, preferred_username: user.userPrincipalName, name: user.displayName });
    if (scopes.includes('email') && user.mail) claims.email = user.mail;
    if (nonce) claims.nonce = nonce;
    return this.keys.sign(claims);
  }
}
