import { Inject, Injectable } from '@nestjs/common';
import { Credentials, OAuth2Client } from 'google-auth-library';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { googleEndpoints } from '../config/google-endpoints';
import { EncryptionService } from '../crypto/encryption.service';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { registerSecret } from '../logging/redact';
import { classifyGoogleError, GoogleApiError } from './google-errors';
import { nodeHttpFetch } from './node-http-fetch';

export interface OAuthCredentials {
  clientId: string;
  clientSecret: string;
}

/** The verified claims of a Google ID token: the only source of identity we trust. */
export interface IdTokenClaims {
  sub: string;
  email: string;
  emailVerified: boolean;
  /** Workspace domain; absent for consumer accounts. */
  hd?: string;
  name?: string;
  nonce?: string;
}

export type RedirectPath = '/auth/callback' | '/auth/connect-client/callback' | '/auth/connect-personal/callback';
export const REDIRECT_PATHS: RedirectPath[] = [
  '/auth/callback',
  '/auth/connect-client/callback',
  '/auth/connect-personal/callback',
];

export interface AuthorizationRequest {
  redirectPath: RedirectPath;
  scopes: string[];
  state: string;
  offline?: boolean;
  prompt?: string;
  loginHint?: string;
  hd?: string;
  nonce?: string;
  /** Wizard only: credentials not yet stored. */
  credentials?: OAuthCredentials;
}

export interface CodeExchange {
  tokens: Credentials;
  claims: IdTokenClaims;
}

class NotConfiguredError extends Error {
  constructor() {
    super('Google OAuth credentials are not configured yet (complete the setup wizard)');
  }
}

/**
 * Google's OAuth endpoints for this deployment's OAuth client. Credentials come from the database
 * (decrypted on use), so an admin changing them takes effect without a restart.
 */
@Injectable()
export class GoogleOAuthService {
  private lastCredentials?: { sealedId: Buffer; sealedSecret: Buffer; creds: OAuthCredentials };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly organizations: OrganizationRepository,
    private readonly encryption: EncryptionService,
  ) {}

  /**
   * The same object for as long as the stored (sealed) credentials stay the same: every sync asks, and
   * decrypting them each time was work for nothing. A change by an admin shows at the next call.
   */
  async credentials(): Promise<OAuthCredentials> {
    const sealed = await this.organizations.findSealedCredentials();
    if (!sealed || !this.encryption.hasKey()) throw new NotConfiguredError();
    const last = this.lastCredentials;
    if (last && last.sealedId.equals(sealed.clientId) && last.sealedSecret.equals(sealed.clientSecret))
      return last.creds;
    const creds = {
      clientId: this.encryption.decrypt(sealed.clientId),
      clientSecret: this.encryption.decrypt(sealed.clientSecret),
    };
    registerSecret(creds.clientSecret);
    this.lastCredentials = { sealedId: sealed.clientId, sealedSecret: sealed.clientSecret, creds };
    return creds;
  }

  redirectUri(path: RedirectPath): string {
    return `${this.config.publicUrl}${path}`;
  }

  /** An OAuth2Client aimed at GOOGLE_BASE_URL when set (the emulator), else at Google. */
  client(creds: OAuthCredentials, redirectPath?: RedirectPath): OAuth2Client {
    const e = googleEndpoints(this.config);
    return new OAuth2Client({
      clientId: creds.clientId,
      clientSecret: creds.clientSecret,
      redirectUri: redirectPath ? this.redirectUri(redirectPath) : undefined,
      endpoints: {
        oauth2AuthBaseUrl: e.authorize,
        oauth2TokenUrl: e.token,
        oauth2RevokeUrl: e.revoke,
        oauth2FederatedSignonPemCertsUrl: e.pemCerts,
        oauth2FederatedSignonJwkCertsUrl: e.jwkCerts,
      },
      // node:http with keep-alive (half the CPU of Node's fetch per call); gaxios would otherwise import node-fetch.
      transporterOptions: { fetchImplementation: nodeHttpFetch },
    });
  }

  async authorizationUrl(request: AuthorizationRequest): Promise<string> {
    const creds = request.credentials ?? (await this.credentials());
    return this.client(creds, request.redirectPath).generateAuthUrl({
      scope: request.scopes,
      state: request.state,
      access_type: request.offline ? 'offline' : 'online',
      prompt: request.prompt,
      login_hint: request.loginHint,
      hd: request.hd,
      nonce: request.nonce,
      include_granted_scopes: false,
    });
  }

  /** Exchanges a code and verifies the ID token's signature, issuer, audience and expiry. */
  async exchangeCode(code: string, redirectPath: RedirectPath, credentials?: OAuthCredentials): Promise<CodeExchange> {
    const creds = credentials ?? (await this.credentials());
    const client = this.client(creds, redirectPath);
    let tokens: Credentials;
    try {
      tokens = (await client.getToken(code)).tokens;
    } catch (error) {
      throw classifyGoogleError(error);
    }
    if (!tokens.id_token)
      throw new GoogleApiError(
        'bad_request',
        400,
        'no_id_token',
        'Google returned no ID token (the openid scope is missing)',
      );
    return { tokens, claims: await this.verifyIdToken(client, tokens.id_token, creds.clientId) };
  }

  async verifyIdToken(client: OAuth2Client, idToken: string, audience: string): Promise<IdTokenClaims> {
    let payload;
    try {
      payload = (await client.verifyIdToken({ idToken, audience })).getPayload();
    } catch (error) {
      throw new GoogleApiError(
        'bad_request',
        401,
        'invalid_id_token',
        `The ID token was rejected: ${(error as Error).message}`,
      );
    }
    if (!payload?.sub || !payload.email)
      throw new GoogleApiError('bad_request', 401, 'invalid_id_token', 'The ID token has no subject or email');
    return {
      sub: payload.sub,
      email: payload.email,
      emailVerified: payload.email_verified === true,
      hd: payload.hd,
      name: payload.name,
      nonce: payload.nonce,
    };
  }

  /** "Test Connection": a dummy code; invalid_client = bad credentials, invalid_grant = accepted. */
  async testCredentials(creds: OAuthCredentials): Promise<{ valid: boolean; message: string }> {
    try {
      await this.client(creds, '/auth/callback').getToken('busybridge-connection-test');
      return { valid: true, message: 'Google accepted the credentials' };
    } catch (raw) {
      const error = classifyGoogleError(raw);
      if (error.kind === 'auth_revoked' || error.reason === 'invalid_grant')
        return { valid: true, message: 'Google accepted the credentials' };
      if (error.kind === 'invalid_client')
        return {
          valid: false,
          message: 'Google rejected these credentials (invalid_client): check the Client ID and Client Secret',
        };
      if (error.kind === 'transient')
        return { valid: false, message: 'Google could not be reached to test the credentials; try again' };
      return {
        valid: false,
        message: `Google answered ${error.reason ?? error.status}: check the OAuth client type (Web application) and redirect URIs`,
      };
    }
  }

  async refresh(refreshToken: string, creds?: OAuthCredentials): Promise<Credentials> {
    const client = this.client(creds ?? (await this.credentials()));
    client.setCredentials({ refresh_token: refreshToken });
    try {
      return (await client.refreshAccessToken()).credentials;
    } catch (error) {
      throw classifyGoogleError(error);
    }
  }

  /** Best effort: a token Google already forgot is as good as revoked. */
  async revoke(token: string): Promise<void> {
    try {
      await this.client(await this.credentials()).revokeToken(token);
    } catch {
      // Revocation failure must not block disconnecting or replacing an account.
    }
  }
}
