import { Page } from 'playwright-core';
import { SyncService } from '../../src/sync/sync.service';
import { CalendarRow, HOME_DOMAIN, WORLD } from '../calendars/world';
import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { prepareOrganization, signInHomeUser } from '../support/calendar-session';
import { connectCalendar, HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';
import { openBrowser, prepareAssets, UiBrowser } from './support';

const MAIN = 'ann@home.example';
const ACME = 'ann@acme.example';

/** Monday 00:00Z of next week. */
const MONDAY = (() => {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7 || 7));
  return d;
})();
const timed = (day: number, hour: number, minutes: number) => {
  const start = new Date(MONDAY.getTime() + day * 86_400_000 + hour * 3_600_000);
  return {
    start: { dateTime: start.toISOString() },
    end: { dateTime: new Date(start.getTime() + minutes * 60_000).toISOString() },
  };
};

/**
 * The "what does this client see?" page in Chromium with JavaScript off, on a phone-sized screen: the week
 * as the calendar holds it, the same week under a draft policy (nothing written), and after saving it.
 */
describe('client preview page in a real browser', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;
  let ui: UiBrowser;
  let page: Page;
  let acme: CalendarRow;

  const idle = async () => {
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await product.app.get(SyncService).onIdle();
    }
  };
  const gridItems = async () =>
    page
      .getByTestId('week-item')
      .evaluateAll((els) =>
        els.map(
          (e) =>
            `${e.getAttribute('data-source')}|${e.querySelector('.event-time')?.textContent}|${e.querySelector('.week-item-title')?.textContent}`,
        ),
      );
  const writes = () => fake.control.callLog().filter((c) => /events\.(insert|update|patch|delete)/.test(c.kind));

  beforeAll(async () => {
    await prepareAssets();
    fake = await startFakeGoogle();
    product = await startProduct({ GOOGLE_BASE_URL: fake.url });
    await prepareOrganization(product, fake, HOME_DOMAIN);
    fake.control.seed(WORLD);
    fake.control.createEvent(MAIN, MAIN, { summary: 'Planning', ...timed(1, 10, 60) });
    fake.control.createEvent(MAIN, MAIN, { summary: 'Quick errand', ...timed(1, 13, 10) });
    fake.control.createEvent(MAIN, MAIN, { summary: 'Late call', ...timed(3, 19, 60) });
    fake.control.createEvent(ACME, ACME, { summary: 'Acme standup', ...timed(1, 9, 30) });
    const { cookie } = await signInHomeUser(product, MAIN);
    const ann = new HttpSession(product.url, cookie);
    acme = (await connectCalendar<CalendarRow>(ann, 'client', ACME, ACME)).body;
    await idle();
    ui = await openBrowser({ javaScriptEnabled: false });
    page = ui.page;
    const [name, value] = cookie.split('=');
    await ui.context.addCookies([{ name, value, url: product.url }]);
  }, 60_000);

  afterAll(async () => {
    await idle();
    await ui?.browser.close();
    await product?.close();
    await fake?.close();
  });

  it('draws the week as the calendar holds it, then under a draft policy, then as saved', async () => {
    await page.goto(`${product.url}/app/calendars/${acme.id}/preview?from=${MONDAY.toISOString()}`);
    await page.getByTestId('week-grid').waitFor();
    expect(await page.getByTestId('week-day').count()).toBe(7);
    const before = await gridItems();
    expect(before.sort()).toEqual([
      'busybridge|10:00–11:00|[BusyBridge] Busy',
      'busybridge|13:00–13:10|[BusyBridge] Busy',
      'busybridge|19:00–20:00|[BusyBridge] Busy',
      'native|09:00–09:30|Acme standup',
    ]);
    await ui.shot('client-preview-1-as-is');

    fake.control.clearCallLog();
    await page.getByTestId('busy-title').fill('Engaged');
    await page.getByTestId('min-minutes').fill('15');
    await page.getByTestId('use-hours').check();
    await page.getByTestId('hours-start').fill('08:00');
    await page.getByTestId('hours-end').fill('18:00');
    await page.getByTestId('unavailable').check();
    await page.getByTestId('preview-draft').click();
    await page.getByTestId('draft-note').waitFor();
    const draft = await gridItems();
    expect(draft).toEqual(
      expect.arrayContaining([
        'busybridge|10:00–11:00|[BusyBridge] Engaged',
        'native|09:00–09:30|Acme standup',
        'busybridge|18:00–00:00|[BusyBridge] Unavailable',
      ]),
    );
    expect(draft.some((i) => i.includes('13:00–13:10') || i.includes('19:00–20:00'))).toBe(false);
    expect(writes()).toEqual([]);
    expect(await page.getByTestId('busy-title').inputValue()).toBe('Engaged');
    await ui.shot('client-preview-2-draft');

    await page.getByTestId('save-policy').click();
    await page.waitForURL(/done=policy/);
    await page.goto(`${product.url}/app/calendars/${acme.id}/preview?from=${MONDAY.toISOString()}`);
    expect(await page.getByTestId('draft-note').count()).toBe(0);
    expect((await gridItems()).sort()).toEqual([...draft].sort());
    await ui.shot('client-preview-3-saved');
    expect(ui.problems).toEqual([]);
  });

  it('refuses a bad draft with the field named, changing nothing', async () => {
    fake.control.clearCallLog();
    await page.getByTestId('time-zone').fill('Mars/Olympus');
    await page.getByTestId('save-policy').click();
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByRole('alert').first().textContent()).toContain('timeZone');
    expect(writes()).toEqual([]);
  });
});
