import { SyncService } from '../../src/sync/sync.service';
import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { prepareOrganization, signInHomeUser } from '../support/calendar-session';
import { connectAccount, connectedAccountId, HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';
import { CalendarRow, HOME_DOMAIN, WORLD } from './world';

const HOSTILE = '<img src=x onerror=alert(1)> Board & "co"';

/**
 * The calendar picker without JavaScript (progressive enhancement): a plain form posting
 * `accountId`, `calendarId` and `_csrf` to `POST /app/connect`. Connected -> 303 to the dashboard with a
 * notice; refused -> the picker again, the message escaped, the refusal's 4xx; not the user's account -> 404.
 */
describe('the calendar picker as a plain form (POST /app/connect)', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;
  let ann: HttpSession;
  let acme: number;
  let personal: number;

  async function accountFrom(kind: 'client' | 'personal', email: string): Promise<number> {
    return connectedAccountId(
      await connectAccount(ann, kind === 'client' ? '/auth/connect-client' : '/auth/connect-personal', email),
    );
  }

  /** What the browser sends for the form: urlencoded strings, the CSRF token as the `_csrf` field. */
  async function postForm(fields: Record<string, string>, csrf?: string): Promise<Response> {
    const token = csrf ?? (await ann.json<{ token: string }>('GET', '/api/csrf')).body.token;
    return fetch(`${product.url}/app/connect`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: ann.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
  }

  beforeAll(async () => {
    fake = await startFakeGoogle();
    product = await startProduct({ GOOGLE_BASE_URL: fake.url });
    await prepareOrganization(product, fake, HOME_DOMAIN);
    fake.control.seed(WORLD);
    fake.control.seed({
      calendars: [{ id: 'acme-hostile@group.acme.example', summary: HOSTILE, acl: { 'ann@acme.example': 'reader' } }],
    });
    ann = new HttpSession(product.url, (await signInHomeUser(product, 'ann@home.example')).cookie);
    acme = await accountFrom('client', 'ann@acme.example');
    personal = await accountFrom('personal', 'ann.personal@gmail.example');
  });
  afterAll(async () => {
    await product?.app.get(SyncService).onIdle();
    await product?.close();
    await fake?.close();
  });

  it('renders a form with _csrf, the account and one radio per calendar (read-only ones disabled)', async () => {
    const html = await (await ann.get(`/app/connect?account=${acme}`)).text();
    expect(html).toMatch(/<form id="picker" method="post" action="\/app\/connect"/);
    expect(html).toMatch(/name="_csrf" value="[A-Za-z0-9_-]{20,}"/);
    expect(html).toContain(`name="accountId" value="${acme}"`);
    expect(html).toMatch(
      /type="radio" name="calendarId" value="acme-projects@group.acme.example" data-calendar="acme-projects@group.acme.example" required>/,
    );
    expect(html).toMatch(
      /value="acme-board@group.acme.example" data-calendar="acme-board@group.acme.example" required disabled>/,
    );
  });

  it("shows a client calendar's dry run first, then connects it once confirmed: 303 to the dashboard, which says so", async () => {
    const dry = await postForm({ accountId: String(acme), calendarId: 'acme-projects@group.acme.example' });
    expect(dry.status).toBe(200);
    const summary = await dry.text();
    expect(summary).toContain('What connecting will write');
    expect(summary).toMatch(/<input type="hidden" name="confirmed" value="true">/);
    expect((await ann.json<CalendarRow[]>('GET', '/api/client-calendars')).body).toEqual([]);
    const res = await postForm({
      accountId: String(acme),
      calendarId: 'acme-projects@group.acme.example',
      confirmed: 'true',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/app?done=connected');
    expect(await (await ann.get('/app?done=connected')).text()).toContain(
      'Calendar connected; its first sync is running.',
    );
    const rows = (await ann.json<CalendarRow[]>('GET', '/api/client-calendars')).body;
    expect(rows.map((r) => [r.googleCalendarId, r.type])).toEqual([['acme-projects@group.acme.example', 'client']]);
  });

  it('a personal account connects a personal calendar the same way', async () => {
    const res = await postForm({ accountId: String(personal), calendarId: 'ann.personal@gmail.example' });
    expect([res.status, res.headers.get('location')]).toEqual([303, '/app?done=connected']);
    expect(
      (await ann.json<CalendarRow[]>('GET', '/api/personal-calendars')).body.map((r) => r.googleCalendarId),
    ).toEqual(['ann.personal@gmail.example']);
  });

  it('refusals come back as the picker with the message and the 4xx; the choice stays checked', async () => {
    const twice = await postForm({ accountId: String(acme), calendarId: 'acme-projects@group.acme.example' });
    expect(twice.status).toBe(409);
    expect(twice.headers.get('content-type')).toMatch(/text\/html/);
    const html = await twice.text();
    expect(html).toMatch(
      /<p id="error" class="alert alert-error" role="alert" data-testid="error">&quot;Acme projects&quot; is already connected/,
    );
    expect(html).toMatch(
      /value="acme-projects@group.acme.example" data-calendar="acme-projects@group.acme.example" required checked>/,
    );
    expect(html).toContain('<form id="picker"');

    const readOnly = await postForm({ accountId: String(acme), calendarId: 'acme-hostile@group.acme.example' });
    expect(readOnly.status).toBe(400);
    const page = await readOnly.text();
    expect(page).toContain(
      'can only read &quot;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; Board &amp; &quot;co&quot;&quot;',
    );
    expect(page).not.toContain('<img src=x');

    const none = await postForm({ accountId: String(acme) });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('Choose one of the calendars to connect');
    expect((await ann.json<CalendarRow[]>('GET', '/api/client-calendars')).body).toHaveLength(1);
  });

  it('bad input is a clear 4xx: not a number 400, not the user account 404, no token 403', async () => {
    const bad = await postForm({ accountId: 'one', calendarId: 'x' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(
      /accountId must be the id of one of your connected accounts/,
    );
    expect((await postForm({ accountId: '999999', calendarId: 'ann@acme.example' })).status).toBe(404);
    expect((await postForm({ accountId: String(acme), calendarId: 'x', extra: '1' })).status).toBe(400);
    expect((await postForm({ accountId: String(acme), calendarId: 'ann@acme.example' }, 'A'.repeat(43))).status).toBe(
      403,
    );
    expect((await ann.json<CalendarRow[]>('GET', '/api/client-calendars')).body).toHaveLength(1);
  });
});
