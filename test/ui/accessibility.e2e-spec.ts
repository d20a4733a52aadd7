import { Page } from 'playwright-core';
import { DatabaseService } from '../../src/database/database.service';
import { ClientCalendar, User } from '../../src/database/entities';
import { SyncService } from '../../src/sync/sync.service';
import { CookieClient } from '../support/cookie-client';
import { TEST_SETUP_TOKEN } from '../support/product';
import { CLIENT_ID, CLIENT_SECRET, DOMAIN, signInWithGoogle, startWorld, World } from '../setup/support';
import { auditPage, prepareShots } from './audit';
import { openBrowser, prepareAssets, UiBrowser } from './support';

/** A long address on purpose: the dashboard's columns must hold it at every width. */
const ADMIN = `alexandra.consultant@${DOMAIN}`;
const CLIENT = 'cat@client.example';
const PERSONAL = 'eve@gmail.example';

/** The browser's walk through the product, and what the walk has learnt that later pages need. */
interface Tour {
  page: Page;
  url: string;
  world: World;
  /** Goes to a path of the product and waits for the element with `testId` (when given). */
  visit(path: string, testId?: string): Promise<void>;
  clientCalendarId: number;
  adminUserId: number;
}

/** Picks `email` on the emulator's account chooser and waits to be back on the product. */
async function chooseAccount(t: Tour, email: string): Promise<void> {
  await t.page.waitForURL((u) => u.toString().startsWith(t.world.fake.url));
  await t.page.locator('a.acct', { hasText: email }).click();
  await t.page.waitForURL((u) => u.toString().startsWith(t.url));
}

async function connect(t: Tour, kind: 'client' | 'personal', email: string): Promise<void> {
  await t.page.goto(`${t.url}/auth/connect-${kind}`);
  await chooseAccount(t, email);
  await t.page.waitForURL(/\/app\/connect\?account=\d+$/);
}

async function pickAndConnect(t: Tour, calendarId: string): Promise<void> {
  await t.page.locator(`input[data-calendar="${calendarId}"]`).check();
  await t.page.getByTestId('connect-calendar').click();
  await t.page.waitForURL(`${t.url}/app?done=connected`);
}

/** A client calendar first shows what connecting it will write; the walk stops on that page. */
async function pickClientForDryRun(t: Tour, calendarId: string): Promise<void> {
  await t.page.locator(`input[data-calendar="${calendarId}"]`).check();
  await t.page.getByTestId('connect-calendar').click();
  await t.page.getByTestId('dry-run').waitFor();
}

/**
 * Every page of the product, in the order the walk reaches it: each entry brings the browser to its page
 * with data on it (the wizard's entries walk the wizard). A new page is one line here.
 */
const PAGES: Array<{ name: string; open(t: Tour): Promise<void>; sweep?: boolean }> = [
  { name: 'setup-1-welcome', open: (t) => t.visit('/setup/step/1', 'next') },
  {
    name: 'setup-2-credentials',
    async open(t) {
      await t.page.fill('#setupToken', TEST_SETUP_TOKEN);
      await t.page.getByTestId('next').click();
      await t.page.waitForURL(`${t.url}/setup/step/2`);
      await t.page.fill('#clientId', CLIENT_ID);
      await t.page.fill('#clientSecret', CLIENT_SECRET);
      await t.page.getByTestId('test-connection').click();
      await t.page.getByTestId('credentials-ok').waitFor();
      await t.page.locator('summary').click();
    },
  },
  {
    name: 'setup-3-administrator',
    async open(t) {
      await t.page.getByTestId('next').click();
      await t.page.getByTestId('sign-in').click();
      await chooseAccount(t, ADMIN);
      await t.page.getByTestId('admin-email').waitFor();
    },
  },
  {
    name: 'setup-4-email-alerts',
    async open(t) {
      await t.page.getByTestId('next').click();
      await t.page.getByTestId('enable-alerts').check();
      await t.page.getByTestId('smtp-fields').waitFor({ state: 'visible' });
    },
  },
  {
    name: 'setup-5-encryption-key',
    async open(t) {
      await t.page.getByTestId('skip').click();
      await t.page.getByTestId('encryption-key').waitFor();
    },
  },
  {
    name: 'setup-6-done',
    async open(t) {
      await t.page.getByTestId('saved-key').check();
      await t.page.getByTestId('complete').click();
      await t.page.getByTestId('setup-done').waitFor();
    },
  },
  { name: 'connect-client-picker', open: (t) => connect(t, 'client', CLIENT) },
  { name: 'connect-client-dry-run', open: (t) => pickClientForDryRun(t, CLIENT) },
  {
    name: 'connect-personal-picker',
    async open(t) {
      await t.page.getByTestId('confirm-connect').click();
      await t.page.waitForURL(`${t.url}/app?done=connected`);
      await connect(t, 'personal', PERSONAL);
    },
  },
  {
    name: 'dashboard',
    async open(t) {
      await pickAndConnect(t, PERSONAL);
      await t.world.product.app.get(SyncService).onIdle();
      const db = t.world.product.app.get(DatabaseService).reader;
      t.clientCalendarId = (
        await db.getRepository(ClientCalendar).findOneByOrFail({ calendarType: 'client', googleCalendarId: CLIENT })
      ).id;
      t.adminUserId = (await db.getRepository(User).findOneByOrFail({ email: ADMIN })).id;
      await t.visit('/app', 'calendar-row');
    },
    sweep: true,
  },
  {
    name: 'dashboard-confirm-disconnect',
    async open(t) {
      await t.page.getByTestId('disconnect').first().click();
      await t.page.getByTestId('confirm-disconnect').first().waitFor();
    },
  },
  { name: 'events', open: (t) => t.visit('/app/events', 'event') },
  { name: 'sync-log', open: (t) => t.visit('/app/logs', 'log-row') },
  { name: 'settings', open: (t) => t.visit('/app/settings', 'main-select') },
  { name: 'client-preview', open: (t) => t.visit(`/app/calendars/${t.clientCalendarId}/preview`) },
  // The connect flow's own pages: a Workspace that blocks the app, and the sheet for its administrator.
  {
    name: 'connect-blocked',
    async open(t) {
      await t.page.goto(`${t.url}/auth/connect-client`);
      await chooseAccount(t, `blocked@client.example`);
      await t.page.locator('#it-approval').waitFor();
    },
  },
  { name: 'it-approval', open: (t) => t.visit('/app/it-approval') },
  { name: 'admin-overview', open: (t) => t.visit('/admin', 'health-status') },
  { name: 'admin-users', open: (t) => t.visit('/admin/users', 'user-row') },
  { name: 'admin-user', open: (t) => t.visit(`/admin/users/${t.adminUserId}`, 'admin-calendar') },
  { name: 'admin-logs', open: (t) => t.visit('/admin/logs', 'log-row') },
  { name: 'admin-settings', open: (t) => t.visit('/admin/settings', 'save-settings') },
  { name: 'admin-client-policy', open: (t) => t.visit('/admin/client-policy') },
  {
    name: 'login',
    async open(t) {
      await t.page.context().clearCookies();
      await t.visit('/app/login?error=domain', 'sign-in');
    },
  },
];

/**
 * Every page in Debian's Chromium, signed in with data on it, at 390 and 1280 px: no serious or critical
 * axe-core violation, no content running into its neighbour, keyboard focus visible on every control.
 * Screenshots of each page at both widths land in test-artifacts/screenshots/pages/.
 */
describe('every page is accessible and tidy', () => {
  let ui: UiBrowser;
  const tour = {} as Tour;

  beforeAll(async () => {
    await Promise.all([prepareAssets(), prepareShots()]);
    const world = await startWorld();
    tour.world = world;
    const soon = new Date(Date.now() + 86_400_000);
    soon.setUTCHours(9, 0, 0, 0);
    const at = (hours: number, length = 1) => ({
      start: { dateTime: new Date(soon.getTime() + hours * 3600_000).toISOString() },
      end: { dateTime: new Date(soon.getTime() + (hours + length) * 3600_000).toISOString() },
    });
    world.fake.control.seed({
      accounts: [
        { email: ADMIN, name: 'Alexandra Consultant' },
        { email: 'blocked@client.example', name: 'Blocked Client', adminBlocked: true },
      ],
      // A calendar the client account may only read: the picker shows it, greyed out with the reason.
      calendars: [
        {
          id: 'client-holidays@group.calendar.example',
          summary: 'Client holidays (shared, read-only)',
          owner: 'boss@client.example',
          acl: { [CLIENT]: 'reader' },
        },
      ],
      events: [
        {
          calendarId: CLIENT,
          event: { summary: 'Quarterly roadmap review with the client leadership team', ...at(0, 2) },
        },
        { calendarId: CLIENT, event: { summary: 'Stand-up', ...at(26, 0.25) } },
        { calendarId: PERSONAL, event: { summary: 'Dentist', ...at(30), visibility: 'private' } },
      ],
    });
    // A second user of the home domain, for the admin's users page.
    await signInWithGoogle(new CookieClient(world.product.url), world.fake, `ann@${DOMAIN}`);
    ui = await openBrowser();
    // The first page of a fresh Chromium can take a while on a busy CI machine.
    ui.page.setDefaultNavigationTimeout(30_000);
    Object.assign(tour, {
      page: ui.page,
      url: world.product.url,
      async visit(path: string, testId?: string) {
        await ui.page.goto(`${world.product.url}${path}`);
        if (testId) await ui.page.getByTestId(testId).first().waitFor();
      },
    });
  }, 60_000);

  afterAll(async () => {
    await tour.world?.product.app.get(SyncService).onIdle();
    await ui?.browser.close();
    await tour.world?.close();
  });

  it.each(PAGES.map((p) => [p.name, p] as const))('%s', async (_name, entry) => {
    await entry.open(tour);
    expect(await auditPage(tour.page, entry.name, { sweep: entry.sweep })).toEqual([]);
  });

  it('raised no console error, CSP violation or dialog on the way', () => {
    expect(ui.problems).toEqual([]);
  });
});
