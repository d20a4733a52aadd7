import { promises as fs } from 'node:fs';
import { FakeGoogle, RawEvent, startFakeGoogle } from '../fake-google';
import { completeWizard, DOMAIN, seedWizardWorld, World } from '../setup/support';
import { CookieClient } from '../support/cookie-client';
import { connectCalendar, HttpSession } from '../support/http-session';
import { freePort, TEST_SETUP_TOKEN } from '../support/product';
import { checkCompose, inspectImage } from './checks';
import { Container } from './container';
import {
  Build,
  buildImage,
  ensureBaseImage,
  ensureDockerd,
  extraCaCertificates,
  HOST_ARCH,
  imageSizeMb,
  volumeDirs,
  waitFor,
} from './docker';

const TAG = 'busybridge:container-test';
const CLIENT = 'cat@client.example';

/**
 * `npm run test:container`: the image built from this repository's Dockerfile, run as an operator runs
 * it, and driven over HTTP from the outside with the Google emulator on the host network.
 */
describe(`the ${HOST_ARCH} image`, () => {
  let stopDockerd: () => Promise<void> = async () => undefined;
  let build: Build;
  let fake: FakeGoogle;
  let container: Container;
  let dirs: Awaited<ReturnType<typeof volumeDirs>>;
  let admin: HttpSession;
  let calendarId: number;
  let mainCalendar: string;
  const figures: string[] = [];

  const copiesOn = (calendar: string): RawEvent[] =>
    fake.control
      .calendarState(calendar)
      .filter((e) => e.data.status !== 'cancelled' && e.data.extendedProperties?.private?.busybridge !== undefined);
  const clientEvent = (summary: string, hour: number) => {
    const start = new Date(Date.now() + 86_400_000);
    start.setUTCHours(hour, 0, 0, 0);
    fake.control.createEvent(CLIENT, CLIENT, {
      summary,
      start: { dateTime: start.toISOString() },
      end: { dateTime: new Date(start.getTime() + 3_600_000).toISOString() },
    });
  };
  const copied = (summary: string) =>
    waitFor(
      `"${summary}" copied to the main calendar`,
      async () => (copiesOn(mainCalendar).some((e) => String(e.data.summary).includes(summary)) ? true : undefined),
      60_000,
    );

  beforeAll(async () => {
    stopDockerd = await ensureDockerd();
    await ensureBaseImage(HOST_ARCH);
    build = await buildImage(HOST_ARCH, TAG);
    fake = await startFakeGoogle({ host: '127.0.0.1' });
    dirs = await volumeDirs();
    const port = await freePort();
    container = new Container({
      image: TAG,
      name: `bb-container-test-${process.pid}`,
      port,
      volumes: dirs,
      fastHealthChecks: true,
      env: {
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        GOOGLE_BASE_URL: fake.url,
        SETUP_TOKEN: TEST_SETUP_TOKEN,
        LOG_LEVEL: 'info',
      },
    });
    seedWizardWorld(fake, container.url);
    figures.push(`build ${build.seconds} s`, `image ${await imageSizeMb(TAG)} MB`);
  }, 40 * 60_000);

  afterAll(async () => {
    await container?.remove();
    await fake?.close();
    if (dirs) await fs.rm(dirs.root, { recursive: true, force: true });
    await stopDockerd();
    console.log(`container test (${HOST_ARCH}): ${figures.join(', ')}`);
  });

  it('holds only what runs: no compiler, curl, npm or dev packages, root-owned app files, no build CA', async () => {
    const facts = await inspectImage(TAG, extraCaCertificates());
    expect(facts.tools).toEqual([]);
    expect(facts.devPackages).toEqual([]);
    expect(facts.notRootOwned).toEqual([]);
    expect(facts.writableByUser).toEqual([]);
    expect(facts.caFound).toEqual([]);
    expect(facts.user).toBe('1000:1000');
    expect(facts.healthcheck).toMatch(/^\["CMD","node","-e","fetch\(/);
    expect(facts.sqlite3Cli).toBe(true);
  });

  it('starts as uid 1000 on a read-only root file system and turns healthy', async () => {
    const started = Date.now();
    await container.start();
    expect((await container.healthy(60_000)).status).toBe('ok');
    figures.push(`start to /health ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(await container.dockerHealthy(60_000)).toBe('healthy');
    expect(await container.inspect('{{.HostConfig.ReadonlyRootfs}}')).toBe('true');
    const status = await container.exec('cat', '/proc/1/status');
    expect(status.stdout).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
    expect((await container.exec('touch', '/app/dist/x')).code).not.toBe(0);
    expect((await container.exec('touch', '/x')).stderr).toContain('Read-only file system');
  });

  it('runs the setup wizard through the container and syncs a client calendar via the emulator', async () => {
    const world = { fake, product: { url: container.url } } as unknown as World; // completeWizard reads only these
    const wizard: CookieClient = await completeWizard(world, `admin@${DOMAIN}`);
    const session = [...wizard.cookies].find(([name]) => name.endsWith('bb_session'));
    if (!session) throw new Error('the wizard did not sign the admin in');
    admin = new HttpSession(container.url, `${session[0]}=${session[1]}`);
    // The admin's main calendar is chosen just after the wizard completes.
    const me = await waitFor(
      "the admin's main calendar",
      async () => {
        const res = await admin.json<{ isAdmin: boolean; mainCalendarId: string | null }>('GET', '/api/me');
        return res.body.mainCalendarId ? res.body : undefined;
      },
      30_000,
    );
    expect(me.isAdmin).toBe(true);
    mainCalendar = me.mainCalendarId as string;
    clientEvent('Client kickoff', 10);
    const connected = await connectCalendar(admin, 'client', CLIENT, CLIENT);
    expect(connected.status).toBe(201);
    calendarId = connected.body.id;
    await copied('Client kickoff');
    const key = (await fs.readFile(`${dirs.secrets}/encryption.key`, 'utf8')).trim();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
  });

  it('keeps the data and the key over a restart, and syncs again', async () => {
    const keyBefore = await fs.readFile(`${dirs.secrets}/encryption.key`);
    await container.stop();
    await container.restart();
    expect((await container.healthy(60_000)).status).toBe('ok');
    expect(await fs.readFile(`${dirs.secrets}/encryption.key`)).toEqual(keyBefore);
    // The session cookie is signed with a secret derived from the key: still valid means the same key.
    expect((await admin.json('GET', '/api/me')).status).toBe(200);
    clientEvent('Client review', 14);
    expect((await admin.json('POST', `/api/client-calendars/${calendarId}/sync`)).status).toBe(202);
    await copied('Client review');
  });

  it('exports the database (a tmpfs /tmp) and backs up with the sqlite3 command, as the docs say', async () => {
    const exported = await admin.request('GET', '/api/admin/export');
    expect(exported.status).toBe(200);
    expect(
      Buffer.from(await exported.arrayBuffer())
        .subarray(0, 15)
        .toString(),
    ).toBe('SQLite format 3');
    expect((await container.exec('sqlite3', '/data/calendar-sync.db', ".backup '/data/backup-test.db'")).code).toBe(0);
    expect((await container.exec('sqlite3', '/data/backup-test.db', 'PRAGMA integrity_check')).stdout.trim()).toBe(
      'ok',
    );
  });

  it('stops on docker stop with exit code 0 before Docker would kill it (10 s)', async () => {
    const stopped = await container.stop();
    figures.push(`docker stop ${stopped.seconds.toFixed(1)} s`);
    expect(stopped.exitCode).toBe(0);
    expect(await container.logs()).toContain('Received SIGTERM');
  });

  it('ships a valid docker-compose.yml that publishes on loopback only and trusts its own network', async () => {
    const compose = await checkCompose();
    expect(compose.ports.length).toBeGreaterThan(0);
    for (const port of compose.ports) expect(port).toMatch(/^127\.0\.0\.1:/);
    expect(compose.trustProxy).toBe(compose.subnet);
    expect(compose.readOnly).toBe(true);
  });
});
