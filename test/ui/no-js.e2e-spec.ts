import { Page } from 'playwright-core';
import { DatabaseService } from '../../src/database/database.service';
import { ClientCalendar } from '../../src/database/entities';
import { SyncService } from '../../src/sync/sync.service';
import { completeWizard, DOMAIN, startWorld, World } from '../setup/support';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { openBrowser, prepareAssets, UiBrowser } from './support';

/**
 * Progressive enhancement: the pages work without JavaScript. Chromium with JavaScript disabled
 * connects a client calendar through Google and the calendar picker (a plain form post), and sends a test
 * email from the admin settings (the plain form comes back to the settings page with a notice, or with the
 * error and a 4xx), against the product, the Google emulator and a real SMTP server.
 */
describe('without JavaScript in a real browser', () => {
  let world: World;
  let smtp: SmtpSink;
  let ui: UiBrowser;
  let page: Page;
  let url: string;

  beforeAll(async () => {
    await prepareAssets();
    smtp = await startSmtpSink();
    world = await startWorld();
    url = world.product.url;
    await completeWizard(world);
    ui = await openBrowser({ javaScriptEnabled: false });
    page = ui.page;
  }, 60_000);

  afterAll(async () => {
    await world?.product.app.get(SyncService).onIdle();
    await ui?.browser.close();
    await world?.close();
    await smtp?.close();
  });

  /** Submits by a click and returns the answer to the form's POST (the page then shows it). */
  async function submit(testId: string, action: string): Promise<{ status: number; url: string }> {
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${url}${action}`);
    await page.getByTestId(testId).click();
    const res = await answer;
    await page.waitForLoadState();
    return { status: res.status(), url: page.url() };
  }

  it('really runs without JavaScript: the page scripts (htmx, Alpine) never start', async () => {
    await page.goto(`${url}/app/login`);
    expect(await page.locator('script[src*="htmx"]').count()).toBe(1);
    expect(
      await page.evaluate(() => [
        typeof (window as unknown as { htmx?: unknown }).htmx,
        typeof (window as unknown as { Alpine?: unknown }).Alpine,
      ]),
    ).toEqual(['undefined', 'undefined']);
  });

  it('signs in and connects a client calendar through Google and the picker form', async () => {
    await page.getByTestId('sign-in').click();
    await page.waitForURL((u) => u.toString().startsWith(world.fake.url));
    await page.getByText(`admin@${DOMAIN}`).click();
    await page.waitForURL(`${url}/app`);
    await page.getByTestId('connect-client').click();
    await page.waitForURL((u) => u.toString().startsWith(world.fake.url));
    await page.getByText('cat@client.example').click();
    await page.waitForURL(/\/app\/connect\?account=\d+$/);
    const picker = page.url();
    // connect.js would send JSON to the API; without JavaScript only the form itself posts.
    const apiPosts: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) apiPosts.push(r.url());
    });
    await page.locator('input[data-calendar="cat@client.example"]').check();
    await ui.shot('no-js-picker');
    // A client calendar shows what connecting will write first; only confirming writes.
    expect(await submit('connect-calendar', '/app/connect')).toEqual({ status: 200, url: `${url}/app/connect` });
    await page.getByTestId('dry-run').waitFor();
    const done = await submit('confirm-connect', '/app/connect');
    expect(done).toEqual({ status: 303, url: `${url}/app?done=connected` });
    await page.getByText('Calendar connected; its first sync is running.').waitFor();
    await expect(page.getByTestId('calendar-row').getByTestId('calendar-name').textContent()).resolves.toBe(
      'cat@client.example',
    );
    const db = world.product.app.get(DatabaseService).reader;
    expect(
      (await db.getRepository(ClientCalendar).findBy({ calendarType: 'client', isActive: true })).map(
        (c) => c.googleCalendarId,
      ),
    ).toEqual(['cat@client.example']);
    await ui.shot('no-js-connected');

    // The same calendar again: the picker comes back with the refusal (409), the choice still checked.
    await page.goto(picker);
    await page.locator('input[data-calendar="cat@client.example"]').check();
    const refused = await submit('connect-calendar', '/app/connect');
    expect(refused).toEqual({ status: 409, url: `${url}/app/connect` });
    await expect(page.getByTestId('error').textContent()).resolves.toMatch(/already connected as a client calendar/);
    expect(await page.locator('input[data-calendar="cat@client.example"]').isChecked()).toBe(true);
    await ui.shot('no-js-picker-refused');
    expect(apiPosts).toEqual([]);
    expect(await db.getRepository(ClientCalendar).countBy({ calendarType: 'client', isActive: true })).toBe(1);
  });

  it('sends a test email from the admin settings and comes back to them with a notice', async () => {
    await page.goto(`${url}/admin/settings`);
    await page.fill('#smtpHost', '127.0.0.1');
    await page.fill('#smtpPort', String(smtp.port));
    await page.selectOption('#smtpSecurity', 'none');
    await page.fill('#smtpFromAddress', `busybridge@${DOMAIN}`);
    const sent = await submit('send-test-email', '/admin/settings/test-email');
    expect(sent).toEqual({ status: 303, url: `${url}/admin/settings?done=test-email` });
    await page.getByText('Test email sent to your address.', { exact: false }).waitFor();
    const [mail] = await smtp.waitFor(1);
    expect(mail.to).toEqual([`admin@${DOMAIN}`]);
    expect(await page.locator('h1').first().textContent()).toBe('Settings');
    await ui.shot('no-js-test-email-sent');

    // Refused (nothing listens on port 1): the whole settings page with the error and the 400, not a fragment.
    await page.fill('#smtpHost', '127.0.0.1');
    await page.fill('#smtpPort', '1');
    await page.fill('#smtpFromAddress', `busybridge@${DOMAIN}`);
    const failed = await submit('send-test-email', '/admin/settings/test-email');
    expect(failed.status).toBe(400);
    await expect(page.getByTestId('error').textContent()).resolves.toMatch(/^The test email could not be sent: /);
    await page.getByTestId('save-settings').waitFor();
    await ui.shot('no-js-test-email-failed');
    expect(smtp.received).toHaveLength(1);
    expect(ui.problems).toEqual([]);
  });
});
