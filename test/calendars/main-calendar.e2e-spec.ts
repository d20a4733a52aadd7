import { CalendarsService } from '../../src/calendars/calendars.service';
import { DatabaseService } from '../../src/database/database.service';
import { ClientCalendar, User } from '../../src/database/entities';
import { FakeGoogle, startFakeGoogle } from '../fake-google';
import { prepareOrganization, signInHomeUser } from '../support/calendar-session';
import { HttpSession } from '../support/http-session';
import { RunningProduct, startProduct } from '../support/product';
import { CalendarRow, HOME_DOMAIN, WORLD } from './world';

/** GET /api/me, the home account's calendars, the main calendar choice and alert preferences. */
describe('the user: profile, main calendar, alert preferences', () => {
  let fake: FakeGoogle;
  let product: RunningProduct;
  let ann: HttpSession;
  let annId: number;

  const mains = () =>
    product.app
      .get(DatabaseService)
      .reader.getRepository(ClientCalendar)
      .find({ where: { userId: annId, calendarType: 'main' }, order: { id: 'ASC' } });

  beforeAll(async () => {
    fake = await startFakeGoogle();
    product = await startProduct({ GOOGLE_BASE_URL: fake.url });
    await prepareOrganization(product, fake, HOME_DOMAIN);
    fake.control.seed(WORLD);
    const signedIn = await signInHomeUser(product, 'ann@home.example');
    annId = signedIn.user.id;
    ann = new HttpSession(product.url, signedIn.cookie);
  });
  afterAll(async () => {
    await product?.close();
    await fake?.close();
  });

  it('defaults the main calendar to the primary calendar of the home account', async () => {
    expect((await ann.json('GET', '/api/me')).body).toEqual({
      id: annId,
      email: 'ann@home.example',
      displayName: 'Ann Consultant',
      isAdmin: false,
      mainCalendarId: 'ann@home.example',
    });
    const rows = await mains();
    expect(rows.map((r) => [r.googleCalendarId, r.isActive])).toEqual([['ann@home.example', true]]);
    // ensureMainCalendar is idempotent: the next sign-in does not add a row.
    const again = await product.app.get(CalendarsService).ensureMainCalendar(annId, rows[0].oauthTokenId);
    expect(again.id).toBe(rows[0].id);
    expect(await mains()).toHaveLength(1);
  });

  it('lists the home account calendars with their access roles', async () => {
    const res = await ann.json<Array<{ id: string; summary: string; primary: boolean; accessRole: string }>>(
      'GET',
      '/api/me/calendars',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.arrayContaining([
        { id: 'ann@home.example', summary: 'ann@home.example', primary: true, accessRole: 'owner' },
        { id: 'ann-work@group.home.example', summary: 'Ann work', primary: false, accessRole: 'owner' },
        {
          id: 'company-holidays@group.home.example',
          summary: 'Company holidays',
          primary: false,
          accessRole: 'reader',
        },
      ]),
    );
  });

  it('refuses a main calendar the home account can only read, or does not have, with a clear 400', async () => {
    const readOnly = await ann.json<{ error: string }>('PUT', '/api/me/main-calendar', {
      calendarId: 'company-holidays@group.home.example',
    });
    expect(readOnly.status).toBe(400);
    expect(readOnly.body.error).toMatch(/only read "Company holidays".*choose a calendar you own or can edit/);
    const foreign = await ann.json<{ error: string }>('PUT', '/api/me/main-calendar', {
      calendarId: 'acme-projects@group.acme.example',
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatch(/is not a calendar of your account/);
    for (const body of [{}, { calendarId: 7 }, { calendarId: '' }, { calendarId: 'x', more: 1 }]) {
      expect((await ann.json('PUT', '/api/me/main-calendar', body)).status).toBe(400);
    }
    expect((await ann.json<{ mainCalendarId: string }>('GET', '/api/me')).body.mainCalendarId).toBe('ann@home.example');
  });

  it('moves the main row to a writable calendar, keeping the old one for audit, and never lists main rows', async () => {
    const moved = await ann.json<{ mainCalendarId: string }>('PUT', '/api/me/main-calendar', {
      calendarId: 'ann-work@group.home.example',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.mainCalendarId).toBe('ann-work@group.home.example');
    expect((await ann.json<{ mainCalendarId: string }>('GET', '/api/me')).body.mainCalendarId).toBe(
      'ann-work@group.home.example',
    );
    const rows = await mains();
    expect(rows.map((r) => [r.googleCalendarId, r.isActive, r.disconnectedAt !== null])).toEqual([
      ['ann@home.example', false, true],
      ['ann-work@group.home.example', true, false],
    ]);
    const user = await product.app.get(DatabaseService).reader.getRepository(User).findOneByOrFail({ id: annId });
    expect(user.mainCalendarId).toBe('ann-work@group.home.example');
    expect((await ann.json<CalendarRow[]>('GET', '/api/client-calendars')).body).toEqual([]);
    expect((await ann.json<CalendarRow[]>('GET', '/api/personal-calendars')).body).toEqual([]);
    // The main row is not reachable through the client routes.
    expect((await ann.request('GET', `/api/client-calendars/${rows[1].id}/status`)).status).toBe(404);
    // Choosing the same calendar again changes nothing.
    expect((await ann.json('PUT', '/api/me/main-calendar', { calendarId: 'ann-work@group.home.example' })).status).toBe(
      200,
    );
    expect(await mains()).toHaveLength(2);
  });

  it('reads and writes alert preferences', async () => {
    expect((await ann.json('GET', '/api/me/alert-preferences')).body).toEqual({ emailAlerts: true });
    expect((await ann.json('PUT', '/api/me/alert-preferences', { emailAlerts: false })).body).toEqual({
      emailAlerts: false,
    });
    expect((await ann.json('GET', '/api/me/alert-preferences')).body).toEqual({ emailAlerts: false });
    const bad = await ann.json<{ error: string }>('PUT', '/api/me/alert-preferences', { emailAlerts: 'no' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/emailAlerts must be true or false/);
    expect((await ann.json('GET', '/api/me/alert-preferences')).body).toEqual({ emailAlerts: false });
  });

  it('requires a session for every user route', async () => {
    for (const p of [
      '/api/me',
      '/api/me/calendars',
      '/api/me/alert-preferences',
      '/api/accounts',
      '/api/client-calendars',
      '/api/personal-calendars',
    ]) {
      expect([p, (await fetch(`${product.url}${p}`)).status]).toEqual([p, 401]);
    }
  });
});
