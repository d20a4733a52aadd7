import { createHash } from 'node:crypto';
import { OAuthError } from '../errors';
import { newToken } from '../ids';
import { Account, OAuthClientRecord } from '../model';
import { World } from '../world';
import { KeyRing } from '../../fake-shared/keys';
import { normalizeScopes, SCOPE_EMAIL, SCOPE_PROFILE } from './scopes';

interface AuthCode {
  clientId: string;
  sub: string;
  scopes: string[];
  redirectUri: string;
  nonce?: string;
  offline: boolean;
  forceConsent: boolean;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAtMs: number;
  used: boolean;
}

/** One per (client, account). Revoking any of its tokens bumps `generation`, which kills them all. */
interface Grant {
  clientId: string;
  sub: string;
  generation: number;
  scopes: string[];
  refreshIssued: boolean;
}

interface IssuedToken {
  grantKey: string;
  generation: number;
  scopes: string[];
  expiresAtMs?: number;
}

export interface AccessContext {
  account: Account;
  clientId: string;
  scopes: string[];
}

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  scope: string;
  token_type: 'Bearer';
  id_token?: string;
}

const INVALID_GRANT = () => new OAuthError(400, 'invalid_grant', 'Token has been expired or revoked.');

export class TokenStore {
  private codes = new Map<string, AuthCode>();
  private grants = new Map<string, Grant>();
  private accessTokens = new Map<string, IssuedToken>();
  private refreshTokens = new Map<string, IssuedToken>();

  constructor(
    private readonly world: World,
    private readonly keys: KeyRing,
  ) {}

  reset(): void {
    this.codes.clear();
    this.grants.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  createCode(input: Omit<AuthCode, 'expiresAtMs' | 'used'>): string {
    const code = newToken('4/0A', 30);
    this.codes.set(code, { ...input, expiresAtMs: this.world.clock.now() + 600_000, used: false });
    return code;
  }

  /** Google accepts client_secret_post and client_secret_basic. */
  authenticateClient(clientId: string | undefined, secret: string | undefined): OAuthClientRecord {
    const client = clientId ? this.world.clients.get(clientId) : undefined;
    if (!client) throw new OAuthError(401, 'invalid_client', 'The OAuth client was not found.');
    if (client.clientSecret !== secret) throw new OAuthError(401, 'invalid_client', 'Unauthorized');
    return client;
  }

  async exchangeCode(
    client: OAuthClientRecord,
    code: string,
    redirectUri?: string,
    verifier?: string,
  ): Promise<TokenResponse> {
    const rec = this.codes.get(code);
    if (!rec || rec.used || rec.clientId !== client.clientId || rec.expiresAtMs < this.world.clock.now())
      throw INVALID_GRANT();
    if (redirectUri !== rec.redirectUri) throw new OAuthError(400, 'redirect_uri_mismatch', 'Bad Request');
    if (rec.codeChallenge && !this.verifierMatches(rec, verifier))
      throw new OAuthError(400, 'invalid_grant', 'Invalid code verifier.');
    rec.used = true;
    const account = [...this.world.accounts.values()].find((a) => a.sub === rec.sub);
    if (!account) throw INVALID_GRANT();

    const key = `${client.clientId}|${rec.sub}`;
    const grant = this.grants.get(key) ?? {
      clientId: client.clientId,
      sub: rec.sub,
      generation: 1,
      scopes: [],
      refreshIssued: false,
    };
    this.grants.set(key, grant);
    grant.scopes = [...new Set([...grant.scopes, ...rec.scopes])];

    const response = this.issueAccess(key, grant, rec.scopes);
    // Google issues a refresh token on the first offline consent only, or again when prompt=consent forces it.
    if (rec.offline && (!grant.refreshIssued || rec.forceConsent)) {
      const refresh = newToken('1//0g', 40);
      this.refreshTokens.set(refresh, { grantKey: key, generation: grant.generation, scopes: rec.scopes });
      grant.refreshIssued = true;
      response.refresh_token = refresh;
    }
    if (rec.scopes.includes('openid'))
      response.id_token = await this.idToken(account, client.clientId, rec.scopes, rec.nonce, response.access_token);
    return response;
  }

  async refresh(client: OAuthClientRecord, refreshToken: string): Promise<TokenResponse> {
    const rec = this.refreshTokens.get(refreshToken);
    const grant = rec && this.grants.get(rec.grantKey);
    if (!rec || !grant || grant.generation !== rec.generation) throw INVALID_GRANT();
    if (grant.clientId !== client.clientId) throw new OAuthError(400, 'unauthorized_client', 'Unauthorized');
    const account = [...this.world.accounts.values()].find((a) => a.sub === grant.sub);
    if (!account) throw INVALID_GRANT();
    const response = this.issueAccess(rec.grantKey, grant, rec.scopes);
    if (rec.scopes.includes('openid'))
      response.id_token = await this.idToken(account, client.clientId, rec.scopes, undefined, response.access_token);
    return response;
  }

  /** Access or refresh token; either kills the whole grant, like Google. */
  revoke(token: string): boolean {
    const rec = this.accessTokens.get(token) ?? this.refreshTokens.get(token);
    const grant = rec && this.grants.get(rec.grantKey);
    if (!rec || !grant || grant.generation !== rec.generation) return false;
    this.killGrant(grant);
    return true;
  }

  revokeAccount(sub: string, clientId?: string): number {
    let n = 0;
    for (const grant of this.grants.values()) {
      if (grant.sub === sub && (!clientId || grant.clientId === clientId)) {
        this.killGrant(grant);
        n++;
      }
    }
    return n;
  }

  /** Resolves a Bearer token; undefined when unknown, expired or revoked. */
  resolveAccess(token: string | undefined): AccessContext | undefined {
    const rec = token ? this.accessTokens.get(token) : undefined;
    const grant = rec && this.grants.get(rec.grantKey);
    if (!rec || !grant || grant.generation !== rec.generation) return undefined;
    if (rec.expiresAtMs !== undefined && rec.expiresAtMs <= this.world.clock.now()) return undefined;
    const account = [...this.world.accounts.values()].find((a) => a.sub === grant.sub);
    return account && { account, clientId: grant.clientId, scopes: rec.scopes };
  }

  /** Test convenience: a token for an account without going through the browser flow. */
  mintAccessToken(account: Account, clientId: string, scopes: string): string {
    const key = `${clientId}|${account.sub}`;
    const grant = this.grants.get(key) ?? {
      clientId,
      sub: account.sub,
      generation: 1,
      scopes: [],
      refreshIssued: false,
    };
    this.grants.set(key, grant);
    return this.issueAccess(key, grant, normalizeScopes(scopes)).access_token;
  }

  private killGrant(grant: Grant): void {
    grant.generation++;
    grant.refreshIssued = false;
    grant.scopes = [];
  }

  private issueAccess(key: string, grant: Grant, scopes: string[]): TokenResponse {
    const lifetime = this.world.options.accessTokenLifetimeSec;
    const token = newToken('ya29.', 48);
    this.accessTokens.set(token, {
      grantKey: key,
      generation: grant.generation,
      scopes,
      expiresAtMs: this.world.clock.now() + lifetime * 1000,
    });
    return { access_token: token, expires_in: lifetime, scope: scopes.join(' '), token_type: 'Bearer' };
  }

  private verifierMatches(rec: AuthCode, verifier?: string): boolean {
    if (!verifier) return false;
    if ((rec.codeChallengeMethod ?? 'plain') === 'plain') return verifier === rec.codeChallenge;
    return createHash('sha256').update(verifier).digest('base64url') === rec.codeChallenge;
  }

  private async idToken(
    account: Account,
    clientId: string,
    scopes: string[],
    nonce: string | undefined,
    accessToken: string,
  ): Promise<string> {
    const iat = Math.floor(this.world.clock.now() / 1000);
    const hash = createHash('sha256').update(accessToken).digest();
    const claims: Record<string, unknown> = {
      iss: 'https://accounts.google.com',
      azp: clientId,
      aud: clientId,
      sub: account.sub,
      at_hash: hash.subarray(0, 16).toString('base64url'),
      iat,
      exp: iat + 3600,
    };
    if (scopes.includes(SCOPE_EMAIL))
      Object.assign(claims, { email: account.email, email_verified: account.emailVerified });
    if (account.hd) claims.hd = account.hd;
    if (scopes.includes(SCOPE_PROFILE)) claims.name = account.name;
    if (nonce) claims.nonce = nonce;
    const override = account.nextIdToken;
    account.nextIdToken = undefined;
    for (const [k, v] of Object.entries(override?.claims ?? {})) {
      if (v === null) delete claims[k];
      else claims[k] = v;
    }
    return this.keys.sign(claims, override?.signWith);
  }
}
