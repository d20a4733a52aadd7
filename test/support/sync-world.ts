import { EncryptionService } from '../../src/crypto/encryption.service';
import { generateKey, writeKeyFileAtomically } from '../../src/crypto/key-file';
import { DatabaseService } from '../../src/database/database.service';
import { CalendarType, ClientCalendar, OAuthToken, Organization, User } from '../../src/database/entities';
import { GoogleAccountsService } from '../../src/google/google-accounts.service';
import { SyncService } from '../../src/sync/sync.service';
import { FakeGoogle, RawEvent, SeedData, startFakeGoogle } from '../fake-google';
import { authorize, CLIENT_ID, CLIENT_SECRET, oauthClient, REDIRECT_URI } from '../fake-google/test-helpers';
import { RunningProduct, startProduct } from './product';

export const HOME = 'home.example';

/**
 * The product started against the emulator with an organization, users and connected calendars seeded
 * straight into the database (the connect flows are exercised by the calendars room's own tests).
 * Tokens come from the emulator's real OAuth flow, so refreshes and revocations behave as in production.
 */
export class SyncWorld {
  private key = generateKey();
  private constructor(
    readonly fake: FakeGoogle,
    public product: RunningProduct,
    readonly dir: string,
  ) {}

  static async start(seed: SeedData, env: Record<string, string> = {}): Promise<SyncWorld> {
    const fake = await startFakeGoogle();
    fake.control.seed({
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }],
      ...seed,
    });
    const product = await startProduct({ GOOGLE_BASE_URL: fake.url, ...env });
    const world = new SyncWorld(fake, product, product.dir);
    world.env = env;
    await world.setUpOrganization();
    return world;
  }

  private env: Record<string, string> = {};

  get sync(): SyncService {
    return this.product.app.get(SyncService);
  }

  get db(): DatabaseService {
    return this.product.app.get(DatabaseService);
  }

  private async setUpOrganization(): Promise<void> {
    await writeKeyFileAtomically(this.product.config.encryptionKeyFile, this.key);
    const enc = this.product.app.get(EncryptionService);
    enc.useKey(this.key);
    await this.db.write(async (m) => {
      await m.getRepository(Organization).insert({
        googleWorkspaceDomain: HOME,
        googleClientIdEncrypted: enc.encrypt(CLIENT_ID),
        googleClientSecretEncrypted: enc.encrypt(CLIENT_SECRET),
      });
    });
    this.fastRetries();
  }

  private fastRetries(): void {
    this.product.app.get(GoogleAccountsService).setRetryOptions({ attempts: 3, baseDelayMs: 5, maxDelayMs: 20 });
  }

  /** Restart from the same files, like a process that died and came back. */
  async restart(): Promise<void> {
    await this.product.close({ keepFiles: true });
    this.product = await startProduct({ GOOGLE_BASE_URL: this.fake.url, ...this.env }, this.dir);
    this.fastRetries();
  }

  /** Stops the in-process product, files kept (another process may now run on them). */
  async stopProduct(): Promise<void> {
    await this.product.close({ keepFiles: true });
  }

  /** Starts the in-process product again on the same files after stopProduct(). */
  async startProduct(): Promise<void> {
    this.product = await startProduct({ GOOGLE_BASE_URL: this.fake.url, ...this.env }, this.dir);
    this.fastRetries();
  }

  async addUser(email: string): Promise<User> {
    return this.db.write((m) =>
      m.getRepository(User).save({ email, googleUserId: `sub-${email}`, displayName: email, mainCalendarId: email }),
    );
  }

  private async token(user: User, accountEmail: string, type: OAuthToken['accountType']): Promise<OAuthToken> {
    const existing = await this.db.reader
      .getRepository(OAuthToken)
      .findOneBy({ userId: user.id, googleAccountEmail: accountEmail });
    if (existing) return existing;
    const client = oauthClient(this.fake);
    const params = await authorize(this.fake, client, accountEmail, {
      scope: 'openid email profile https://www.googleapis.com/auth/calendar',
      prompt: 'consent',
    });
    const { tokens } = await client.getToken(params.get('code') as string);
    const enc = this.product.app.get(EncryptionService);
    return this.db.write((m) =>
      m.getRepository(OAuthToken).save({
        userId: user.id,
        accountType: type,
        googleAccountEmail: accountEmail,
        googleSubject: null,
        accessTokenEncrypted: enc.encrypt(tokens.access_token as string),
        refreshTokenEncrypted: enc.encrypt(tokens.refresh_token as string),
        tokenExpiry: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
        scopes: String(tokens.scope ?? ''),
      }),
    );
  }

  /** A connected calendar row (type main, client or personal) read through `accountEmail`'s token. */
  async connect(
    user: User,
    accountEmail: string,
    googleCalendarId: string,
    type: CalendarType,
    accessRole = 'owner',
  ): Promise<ClientCalendar> {
    const token = await this.token(user, accountEmail, type === 'main' ? 'home' : type);
    return this.db.write((m) =>
      m.getRepository(ClientCalendar).save({
        userId: user.id,
        oauthTokenId: token.id,
        googleCalendarId,
        displayName: googleCalendarId,
        calendarType: type,
        accessRole,
        isActive: true,
      }),
    );
  }

  /** Live events of a calendar as the emulator stores them (tombstones left out). */
  live(calendarId: string): RawEvent[] {
    return this.fake.control.calendarState(calendarId).filter((e) => e.data.status !== 'cancelled');
  }

  /** Google writes made so far (emulator call log). */
  writes(since?: number): Record<string, number> {
    const counts = this.fake.control.callCounts(since === undefined ? {} : { since });
    return Object.fromEntries(Object.entries(counts).filter(([k]) => /events\.(insert|update|patch|delete)/.test(k)));
  }

  async close(): Promise<void> {
    await this.product.close();
    await this.fake.close();
  }
}
