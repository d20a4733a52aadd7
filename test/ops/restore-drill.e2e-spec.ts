import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { SyncService } from '../../src/sync/sync.service';
import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { completeWizard, signInWithGoogle } from '../setup/support';
import { CookieClient } from '../support/cookie-client';
import { RunningProduct, startProduct } from '../support/product';
import { DRILL_WORLD, managedSummaries, tomorrowAt } from './support/drill-world';
import { dumpTables, integrityCheck } from './support/sqlite-file';

const run = promisify(execFile);
// Polling off: every sync in this drill is one the test asked for, so "intact" can be checked exactly.
const ENV = { SYNC_POLL_SECONDS: '86400' };
const KEPT_TABLES = [
  'organization',
  'settings',
  'users',
  'client_calendars',
  'event_mappings',
  'busy_blocks',
  'webhook_channels',
] as const;

interface CalendarRow {
  id: number;
  googleCalendarId: string;
  type: string;
  accountEmail: string;
  isActive: boolean;
}

/**
 * docs/backup-restore.md, end to end: a running instance with users, connected calendars and synced
 * mappings is backed up while it keeps writing (the documented `sqlite3 .backup`, and the admin's
 * GET /api/admin/export, which runs backupDatabase()),
 * restored with its key into a fresh directory, and a second instance started there finds everything and
 * keeps syncing against the same Google without duplicating anything.
 */
describe('restore drill', () => {
  let fake: FakeGoogle;
  let first: RunningProduct;
  let second: RunningProduct | undefined;
  let work: string;
  let ann: CookieClient;
  const userIds: number[] = [];

  /** A browser's connect flow: Google consent for `email`, back to the picker, then the API call the picker makes. */
  async function connect(client: CookieClient, kind: 'client' | 'personal', email: string): Promise<CalendarRow> {
    const toGoogle = new URL((await client.get(`/auth/connect-${kind}`)).headers.get('location') ?? '');
    expect(toGoogle.origin).toBe(fake.url);
    toGoogle.searchParams.set('login_hint', email); // the account picked in Google's chooser
    const back = (await fetch(toGoogle, { redirect: 'manual' })).headers.get('location') ?? '';
    const done = (await client.get(back.replace(client.base, ''))).headers.get('location') ?? '';
    expect(done).toMatch(/^\/app\/connect\?account=\d+$/);
    const account = Number(new URL(done, 'http://x').searchParams.get('account'));
    const added = await client.postJson(`/api/${kind}-calendars`, { accountId: account, calendarId: email });
    expect(added.status).toBe(201);
    return (await added.json()) as CalendarRow;
  }

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-drill-'));
    fake = await startFakeGoogle();
    fake.control.seed(DRILL_WORLD);
    first = await startProduct({ GOOGLE_BASE_URL: fake.url, ...ENV });
    fake.control.createEvent('ann@acme.example', 'ann@acme.example', {
      summary: 'Acme standup',
      start: tomorrowAt(9),
      end: tomorrowAt(10),
    });
    fake.control.createEvent('ann@home.example', 'ann@home.example', {
      summary: 'Home planning',
      start: tomorrowAt(11),
      end: tomorrowAt(12),
    });
    fake.control.createEvent('ann.personal@gmail.example', 'ann.personal@gmail.example', {
      summary: 'Dentist',
      start: tomorrowAt(14),
      end: tomorrowAt(15),
    });
    fake.control.createEvent('ben@initech.example', 'ben@initech.example', {
      summary: 'Initech review',
      start: tomorrowAt(9, 2),
      end: tomorrowAt(10, 2),
    });

    // Everything as an operator and two consultants would do it, over HTTP: the wizard (Ann becomes the
    // admin and the key file is written), Ben's first sign-in, and the connect flows.
    ann = await completeWizard({ fake, product: first, close: async () => undefined }, 'ann@home.example');
    const ben = new CookieClient(first.url);
    expect((await signInWithGoogle(ben, fake, 'ben@home.example')).location).toBe('/app');
    await connect(ann, 'client', 'ann@acme.example');
    await connect(ann, 'client', 'ann@globex.example');
    await connect(ann, 'personal', 'ann.personal@gmail.example');
    await connect(ben, 'client', 'ben@initech.example');
    for (const client of [ann, ben])
      userIds.push(((await (await client.getJson('/api/me')).json()) as { id: number }).id);
    // One full round per user, through the product's sync service (what POST /api/sync/full runs), so
    // every calendar has seen every other calendar's events before the backup.
    const sync = first.app.get(SyncService);
    for (const id of userIds) await sync.fullResync(id);
    await sync.onIdle();
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await fake?.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('has synced data to protect: two users, four calendars, copies and busy blocks on Google', async () => {
    const dump = await dumpTables(first.config.databasePath);
    expect(dump.users).toHaveLength(2);
    expect(dump.client_calendars.filter((c) => c.calendar_type !== 'main')).toHaveLength(4);
    expect(dump.event_mappings.length).toBeGreaterThanOrEqual(4);
    expect(dump.busy_blocks.length).toBeGreaterThanOrEqual(4);
    expect(managedSummaries(fake, 'ann@home.example')).toEqual(expect.arrayContaining(['Acme standup']));
  });

  it('backs up while running, restores with the key into a fresh directory, and the second instance has everything', async () => {
    const liveDb = first.config.databasePath;
    const cliBackup = path.join(work, 'backups', 'backup-cli.db');
    const exported = path.join(work, 'backups', 'admin-export.db');
    await fs.mkdir(path.dirname(cliBackup), { recursive: true });

    // The instance keeps writing (sync rounds: sync_log rows, sync state) while both backups run.
    const sync = first.app.get(SyncService);
    const calendarIds = (await dumpTables(liveDb)).client_calendars.map((c) => Number(c.id));
    let stop = false;
    let rounds = 0;
    const writer = (async () => {
      while (!stop) {
        for (const id of calendarIds) await sync.syncCalendarNow(id).catch(() => undefined);
        rounds++;
      }
    })();
    await run('sqlite3', [liveDb, `.backup '${cliBackup}'`]); // the command docs/backup-restore.md gives
    const download = await ann.get('/api/admin/export'); // Ann is the admin: the wizard made her one
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="busybridge-.*\.db"$/);
    await fs.writeFile(exported, Buffer.from(await download.arrayBuffer()));
    stop = true;
    await writer;
    expect(rounds).toBeGreaterThan(0);

    for (const file of [cliBackup, exported]) expect(await integrityCheck(file)).toBe('ok');
    const original = await dumpTables(liveDb);
    const fromCli = await dumpTables(cliBackup);
    const fromExport = await dumpTables(exported);
    for (const table of KEPT_TABLES) {
      expect({ table, rows: fromCli[table] }).toEqual({ table, rows: original[table] });
      expect({ table, rows: fromExport[table] }).toEqual({ table, rows: original[table] });
    }
    const annApiBefore = (await (await ann.getJson('/api/client-calendars')).json()) as CalendarRow[];

    // The old machine is gone; a fresh directory gets the backup and the key, nothing else.
    await first.close({ keepFiles: true });
    const fresh = path.join(work, 'restored');
    await fs.mkdir(path.join(fresh, 'data'), { recursive: true });
    await fs.mkdir(path.join(fresh, 'secrets'), { recursive: true });
    await fs.copyFile(exported, path.join(fresh, 'data', 'calendar-sync.db'));
    await fs.copyFile(first.config.encryptionKeyFile, path.join(fresh, 'secrets', 'encryption.key'));
    // The database alone is not enough: without the key the instance refuses to start, saying why.
    const keyless = path.join(work, 'keyless');
    await fs.mkdir(path.join(keyless, 'data'), { recursive: true });
    await fs.copyFile(cliBackup, path.join(keyless, 'data', 'calendar-sync.db'));
    await expect(startProduct({ GOOGLE_BASE_URL: fake.url, ...ENV }, keyless)).rejects.toThrow(
      /ENCRYPTION_KEY_FILE .* is missing but the database holds encrypted data/,
    );

    second = await startProduct({ GOOGLE_BASE_URL: fake.url, ...ENV }, fresh);
    expect((await fetch(`${second.url}/setup`, { redirect: 'manual' })).status).toBe(404); // configured, not a new install

    expect((await fetch(`${second.url}/health`)).status).toBe(200);
    const restored = await dumpTables(second.config.databasePath);
    for (const table of [...KEPT_TABLES, 'oauth_tokens' as const]) {
      expect({ table, rows: restored[table] }).toEqual({ table, rows: fromExport[table] });
    }
    // Sessions are signed with a key-derived secret: Ann's browser session survives the move.
    const annThere = new CookieClient(second.url);
    for (const [name, value] of ann.cookies) annThere.cookies.set(name, value);
    expect((await (await annThere.getJson('/api/me')).json()) as { email: string; isAdmin: boolean }).toMatchObject({
      email: 'ann@home.example',
      isAdmin: true,
    });
    const annApiAfter = (await (await annThere.getJson('/api/client-calendars')).json()) as CalendarRow[];
    const ids = (rows: CalendarRow[]) => rows.map((r) => [r.id, r.googleCalendarId, r.accountEmail, r.isActive]);
    expect(ids(annApiAfter)).toHaveLength(2);
    expect(ids(annApiAfter)).toEqual(ids(annApiBefore));
  });

  it('the restored instance keeps syncing with the same Google: new events flow, nothing is duplicated', async () => {
    expect(second).toBeDefined();
    const sync = second!.app.get(SyncService);
    const before = {
      main: managedSummaries(fake, 'ann@home.example'),
      acme: managedSummaries(fake, 'ann@acme.example'),
      globex: managedSummaries(fake, 'ann@globex.example'),
    };
    fake.control.createEvent('ann@acme.example', 'ann@acme.example', {
      summary: 'After the restore',
      start: tomorrowAt(16),
      end: tomorrowAt(17),
    });
    for (const id of userIds) await sync.fullResync(id);
    await sync.onIdle();

    expect(managedSummaries(fake, 'ann@home.example')).toEqual([...before.main, 'After the restore'].sort());
    // The new event blocks Ann's other client; the old blocks were recognised, not written again.
    expect(managedSummaries(fake, 'ann@globex.example')).toHaveLength(before.globex.length + 1);
    expect(managedSummaries(fake, 'ann@acme.example')).toEqual(before.acme);
  });
});
