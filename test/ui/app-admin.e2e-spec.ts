import { Page } from 'playwright-core';
import { DatabaseService } from '../../src/database/database.service';
import { ClientCalendar, User } from '../../src/database/entities';
import { SettingsService } from '../../src/settings/settings.service';
import { SyncService } from '../../src/sync/sync.service';
import { CookieClient } from '../support/cookie-client';
import { completeWizard, DOMAIN, signInWithGoogle, startWorld, World } from '../setup/support';
import { openBrowser, prepareAssets, UiBrowser } from './support';

const HOSTILE = '<img src=x onerror=alert(1)> "Board" & <script>alert(2)</script>';

/**
 * The user and admin pages in Debian's Chromium against the product and the Google emulator, on a
 * phone-sized screen: sign-in, connecting a client calendar, Sync Now updating its row without a reload,
 * disconnect, the admin users page, pause/resume and the factory reset. The wizard has its own browser
 * test (test/setup/wizard-browser.e2e-spec.ts); here it is completed over JSON.
 */
describe('user and admin pages in a real browser', () => {
  let world: World;
  let ui: UiBrowser;
  let page: Page;
  let url: string;

  beforeAll(async () => {
    await prepareAssets();
    world = await startWorld();
    url = world.product.url;
    const soon = new Date(Date.now() + 2 * 86_400_000);
    soon.setUTCHours(10, 0, 0, 0);
    world.fake.control.seed({
      events: [
        {
          calendarId: 'cat@client.example',
          event: {
            summary: HOSTILE,
            start: { dateTime: soon.toISOString() },
            end: { dateTime: new Date(soon.getTime() + 3600_000).toISOString() },
          },
        },
      ],
    });
    await completeWizard(world);
    // A second user of the home domain, for the admin's users page.
    await signInWithGoogle(new CookieClient(url), world.fake, `ann@${DOMAIN}`);
    // A fresh profile per launch; one browser and one phone-sized context for the whole file.
    ui = await openBrowser();
    page = ui.page;
  }, 60_000);

  afterAll(async () => {
    await world?.product.app.get(SyncService).onIdle();
    await ui?.browser.close();
    await world?.close();
  });

  const shot = (name: string) => ui.shot(name);
  const db = () => world.product.app.get(DatabaseService).reader;

  it('signs in with Google from the login page and shows the dashboard', async () => {
    await page.goto(`${url}/app`);
    await page.waitForURL(/\/app\/login/);
    await shot('login');
    await page.getByTestId('sign-in').click();
    await page.waitForURL((u) => u.toString().startsWith(world.fake.url));
    await page.getByText(`admin@${DOMAIN}`).click();
    await page.waitForURL(`${url}/app`);
    await expect(page.getByTestId('main-calendar').textContent()).resolves.toBeTruthy();
    await page.getByTestId('no-clients').waitFor();
    await page.getByTestId('personal-section').waitFor();
    await shot('dashboard-empty');
  });

  it('connects a client calendar through Google and the calendar picker', async () => {
    await page.getByTestId('connect-client').click();
    await page.waitForURL((u) => u.toString().startsWith(world.fake.url));
    await page.getByText('cat@client.example').click();
    await page.waitForURL(/\/app\/connect\?account=\d+$/);
    await shot('connect-picker');
    await page.locator('input[data-calendar="cat@client.example"]').check();
    // connect.js sends the choice as JSON to the API (test/ui/no-js.e2e-spec.ts covers the plain form post).
    // A client calendar first shows what connecting will write (a plain post), then the confirmation connects it.
    await page.getByTestId('connect-calendar').click();
    await page.getByTestId('dry-run').waitFor();
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url() === `${url}/api/client-calendars`);
    await page.getByTestId('confirm-connect').click();
    expect(JSON.parse((await posted).postData() ?? '{}')).toMatchObject({ calendarId: 'cat@client.example' });
    await page.waitForURL(`${url}/app?done=connected`);
    const row = page.getByTestId('calendar-row');
    await expect(row.getByTestId('calendar-name').textContent()).resolves.toBe('cat@client.example');
    await page.getByText('Calendar connected; its first sync is running.').waitFor();
    await world.product.app.get(SyncService).onIdle();
    await page.goto(`${url}/app`);
    await expect(page.getByTestId('calendar-row').getAttribute('data-status')).resolves.toBe('ok');
    await shot('dashboard-connected');
  });

  it('Sync Now updates the calendar row in place, without a page reload', async () => {
    const row = page.getByTestId('calendar-row');
    const before = await row.getAttribute('data-last-sync');
    await page.evaluate(() => Object.assign(window, { sameDocument: 'yes' }));
    await row.getByTestId('sync-now').click();
    await page.waitForFunction((old) => {
      const li = document.querySelector('[data-testid="calendar-row"]');
      return li && !li.hasAttribute('data-pending') && li.getAttribute('data-last-sync') !== old;
    }, before);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: string }).sameDocument)).toBe('yes');
    expect(page.url()).toBe(`${url}/app`);
    await expect(page.getByTestId('calendar-row').getByTestId('status').textContent()).resolves.toBe('✓');
    await shot('dashboard-after-sync-now');
  });

  it('lists the synced events with the editable / read-only marker, titles escaped', async () => {
    await page.goto(`${url}/app/events`);
    const event = page.getByTestId('event').first();
    await event.waitFor();
    await expect(event.locator('.event-title').textContent()).resolves.toBe(HOSTILE);
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(['true', 'false']).toContain(await event.getAttribute('data-editable'));
    await shot('events');
    await page.goto(`${url}/app/settings`);
    await page.getByTestId('main-select').waitFor();
    await shot('settings');
    await page.goto(`${url}/app/logs`);
    await page.getByTestId('log-row').first().waitFor();
    await shot('logs');
  });

  it('disconnects a client calendar after a confirmation', async () => {
    await page.goto(`${url}/app`);
    await page.getByTestId('disconnect').click();
    await shot('disconnect-confirm');
    await page.getByTestId('confirm-disconnect').click();
    await page.waitForURL(`${url}/app?done=disconnected`);
    await page.getByTestId('no-clients').waitFor();
    expect(await db().getRepository(ClientCalendar).countBy({ calendarType: 'client', isActive: true })).toBe(0);
  });

  it('admin: users page with search, and a user detail page', async () => {
    await page.goto(`${url}/admin/users`);
    await expect(page.getByTestId('user-row').count()).resolves.toBe(2);
    await shot('admin-users');
    await page.getByTestId('user-search').fill('ann');
    await page.getByTestId('user-filter').click();
    await page.waitForURL(/search=ann/);
    await expect(page.getByTestId('user-row').count()).resolves.toBe(1);
    await page.getByTestId('user-link').click();
    await expect(page.getByTestId('user-email').textContent()).resolves.toContain(`ann@${DOMAIN}`);
    await shot('admin-user-detail');
    await page.getByTestId('promote').click();
    await page.waitForURL(/done=promoted/);
    expect(
      (
        await db()
          .getRepository(User)
          .findOneByOrFail({ email: `ann@${DOMAIN}` })
      ).isAdmin,
    ).toBe(true);
  });

  it('admin: pauses and resumes sync from the dashboard', async () => {
    const settings = world.product.app.get(SettingsService);
    await page.goto(`${url}/admin`);
    await page.getByTestId('pause').click();
    await page.getByTestId('paused-banner').waitFor();
    expect(await settings.isSyncPaused()).toBe(true);
    await shot('admin-paused');
    await page.getByTestId('resume').click();
    await page.getByTestId('pause').waitFor();
    expect(await settings.isSyncPaused()).toBe(false);
    await page.goto(`${url}/admin/logs`);
    await page.getByTestId('log-row').first().waitFor();
    await shot('admin-logs');
  });

  it('admin: factory reset needs RESET typed, then returns to the wizard', async () => {
    await page.goto(`${url}/admin/settings`);
    await shot('admin-settings');
    await page.getByTestId('factory-reset').click();
    await page.getByTestId('reset-confirm').fill('reset');
    await page.getByTestId('confirm-reset').click();
    // The browser's own check (pattern="RESET") keeps the form from going anywhere.
    expect(page.url()).toBe(`${url}/admin/settings`);
    expect(await db().getRepository(User).count()).toBe(2);
    await page.getByTestId('reset-confirm').fill('RESET');
    await shot('admin-factory-reset');
    await page.getByTestId('confirm-reset').click();
    await page.waitForURL(`${url}/setup/step/1`);
    await shot('after-factory-reset');
    expect(await db().getRepository(User).count()).toBe(0);
    expect(ui.problems).toEqual([]);
  });
});
