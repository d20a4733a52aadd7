import { randomBytes } from 'node:crypto';
import { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, SessionService } from '../../src/auth/session.service';
import { CalendarsService } from '../../src/calendars/calendars.service';
import { EncryptionService } from '../../src/crypto/encryption.service';
import { DatabaseService } from '../../src/database/database.service';
import { Organization, User } from '../../src/database/entities';
import { OAuthTokenRepository } from '../../src/database/repositories/oauth-token.repository';
import { GoogleOAuthService } from '../../src/google/google-oauth.service';
import { HOME_SCOPES } from '../../src/google/scopes';
import { FakeGoogle } from '../fake-google';
import { RunningProduct } from './product';

export const TEST_CLIENT_ID = 'busybridge-e2e.apps.googleusercontent.com';
export const TEST_CLIENT_SECRET = 'busybridge-e2e-secret';

/**
 * Sets up a product as the wizard would leave it (key loaded, organization with sealed OAuth credentials),
 * without the wizard: the tests of this room start after setup. The emulator must know the same client.
 */
export async function prepareOrganization(product: RunningProduct, fake: FakeGoogle, domain: string): Promise<void> {
  fake.control.seed({ domains: [domain], clients: [{ clientId: TEST_CLIENT_ID, clientSecret: TEST_CLIENT_SECRET }] });
  const encryption = product.app.get(EncryptionService);
  encryption.useKey(randomBytes(32));
  await product.app.get(DatabaseService).write(async (m) => {
    await m.getRepository(Organization).insert({
      googleWorkspaceDomain: domain,
      googleClientIdEncrypted: encryption.encrypt(TEST_CLIENT_ID),
      googleClientSecretEncrypted: encryption.encrypt(TEST_CLIENT_SECRET),
    });
  });
}

/**
 * A signed-in home-domain user, made the way sign-in makes one: Google's consent at the emulator (home scopes,
 * offline), the code exchanged with the ID token verified, the home token stored sealed, the main calendar
 * row ensured, and a session cookie issued by SessionService. Stands in for /auth/login until it lands.
 */
export async function signInHomeUser(product: RunningProduct, email: string): Promise<{ user: User; cookie: string }> {
  const oauth = product.app.get(GoogleOAuthService);
  const url = await oauth.authorizationUrl({
    redirectPath: '/auth/callback',
    scopes: HOME_SCOPES,
    state: 'test',
    offline: true,
    prompt: 'consent',
    loginHint: email,
  });
  const consent = await fetch(url, { redirect: 'manual' });
  const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`The emulator gave no code for ${email}: ${consent.status}`);
  const { tokens, claims } = await oauth.exchangeCode(code, '/auth/callback');
  const encryption = product.app.get(EncryptionService);
  const db = product.app.get(DatabaseService);
  const user = await db.write(async (m) => {
    const repo = m.getRepository(User);
    return repo.save(
      repo.create({ email: claims.email.toLowerCase(), googleUserId: claims.sub, displayName: claims.name ?? null }),
    );
  });
  const { token } = await product.app.get(OAuthTokenRepository).upsert({
    userId: user.id,
    accountType: 'home',
    googleAccountEmail: claims.email,
    googleSubject: claims.sub,
    accessTokenEncrypted: encryption.encrypt(tokens.access_token!),
    refreshTokenEncrypted: encryption.encrypt(tokens.refresh_token!),
    tokenExpiry: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
    scopes: tokens.scope ?? '',
  });
  await product.app.get(CalendarsService).ensureMainCalendar(user.id, token.id);
  let cookie = '';
  const reply = {
    setCookie: (name: string, value: string) => {
      if (name.endsWith(SESSION_COOKIE)) cookie = `${name}=${value}`;
    },
  } as unknown as FastifyReply;
  const request = { protocol: 'http' } as unknown as FastifyRequest;
  await product.app.get(SessionService).issue(reply, request, user);
  return { user: await db.reader.getRepository(User).findOneByOrFail({ id: user.id }), cookie };
}
