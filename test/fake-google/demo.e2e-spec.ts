import { calendar } from '@googleapis/calendar';
import { OAuth2Client } from 'google-auth-library';
import { DEMO_CLIENT, FakeGoogle, startFakeGoogle } from './index';

describe('fake Google: demo organisation', () => {
  let fake: FakeGoogle;
  beforeAll(async () => {
    fake = await startFakeGoogle({ seed: 'demo' });
  });
  afterAll(() => fake.close());

  /** The calendar API as `email` would use it, after consenting through the demo client. */
  async function apiAs(email: string) {
    const client = new OAuth2Client({
      ...DEMO_CLIENT,
      redirectUri: 'http://localhost:3000/auth/callback',
      transporterOptions: { fetchImplementation: fetch },
      endpoints: { oauth2AuthBaseUrl: `${fake.url}/o/oauth2/v2/auth`, oauth2TokenUrl: `${fake.url}/token` },
    });
    const url = client.generateAuthUrl({
      scope: 'openid email https://www.googleapis.com/auth/calendar',
      access_type: 'offline',
      login_hint: email,
    });
    const location = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
    const { tokens } = await client.getToken(new URL(location).searchParams.get('code')!);
    client.setCredentials(tokens);
    return calendar({ version: 'v3', auth: client as never, rootUrl: `${fake.url}/` });
  }

  it('lets a consultant sign in with the demo client and see their calendars, including the shared read-only one', async () => {
    const api = await apiAs('alice@consultancy.example');
    const list = await api.calendarList.list();
    expect(list.data.items!.map((c) => [c.id, c.accessRole])).toEqual([
      ['alice@consultancy.example', 'owner'],
      ['acme-projects@group.calendar.example', 'reader'],
    ]);
    const events = await api.events.list({ calendarId: 'primary' });
    expect(events.data.items!.length).toBeGreaterThan(0);
  });

  it('shows the shared calendar named read-only as read-only to the client account a consultant connects', async () => {
    const list = await (await apiAs('alice@acme.example')).calendarList.list();
    const shared = list.data.items!.find((c) => c.id === 'acme-projects@group.calendar.example')!;
    expect([shared.summary, shared.accessRole]).toEqual(['Acme Projects (shared, read-only)', 'reader']);
  });

  it('seeds client organisations and a personal account with a recurring and an all-day event', () => {
    const ids = fake.control.listCalendars().map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'alice@acme.example',
        'bob@acme.example',
        'alice@globex.example',
        'alice@initech.example',
        'alice.personal@gmail.example',
      ]),
    );
    const personal = fake.control.calendarState('alice.personal@gmail.example').map((e) => e.data);
    expect(personal.some((e) => e.recurrence)).toBe(true);
    expect(personal.some((e) => e.start?.date)).toBe(true);
    expect(fake.control.listAccounts().find((a) => a.email === 'alice.personal@gmail.example')!.hd).toBeUndefined();
    expect(fake.control.listAccounts().find((a) => a.email === 'carol@consultancy.example')!.hd).toBe(
      'consultancy.example',
    );
  });

  it('lists every calendar and its events on the home page, escaping text', async () => {
    fake.control.createEvent('bob@acme.example', 'bob@acme.example', {
      summary: '<script>alert(1)</script>',
      start: { dateTime: '2026-12-01T10:00:00Z' },
      end: { dateTime: '2026-12-01T11:00:00Z' },
    });
    const html = await (await fetch(`${fake.url}/`)).text();
    expect(html).toContain('Acme Projects (shared, read-only)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
  });
});
