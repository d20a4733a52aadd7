import { DEMO_MICROSOFT_APP, FakeMicrosoft, startFakeMicrosoft } from './index';
import { call, graphFor, startSeeded, timed, tokenFor } from './test-helpers';

type Json = Record<string, unknown>;

describe('fake Microsoft: decline, mail log, home page, control API, call log', () => {
  let fake: FakeMicrosoft;
  beforeEach(async () => {
    fake = await startSeeded();
  });
  afterEach(() => fake.close());

  it('decline: the organizer learns it (unless sendResponse is false) and the meeting leaves the attendee calendar', async () => {
    const ann = graphFor(fake, tokenFor(fake, 'ann@contoso.example'));
    const ben = graphFor(fake, tokenFor(fake, 'ben@contoso.example'));
    const meeting = (
      await ann('POST', '/me/events', {
        subject: 'Plan',
        ...timed('2030-01-20T09:00:00'),
        attendees: [{ emailAddress: { address: 'ben@contoso.example' } }],
      })
    ).body;
    const copy = (await ben<{ value: Json[] }>('GET', '/me/events')).body.value.find((e) => e.subject === 'Plan')!;
    expect(await ann('POST', `/me/events/${meeting.id}/decline`, { comment: 'mine' })).toMatchObject({ status: 400 });
    expect((await ben('POST', `/me/events/${copy.id}/decline`, { comment: 'busy', sendResponse: true })).status).toBe(
      202,
    );
    expect((await ben('GET', `/me/events/${copy.id}`)).status).toBe(404);
    expect((await ann('GET', `/me/events/${meeting.id}`)).body.attendees).toEqual([
      expect.objectContaining({ status: expect.objectContaining({ response: 'declined' }) }),
    ]);
    expect(fake.control.mails().map((m) => [m.kind, m.from, m.to])).toEqual([
      ['invitation', 'ann@contoso.example', ['ben@contoso.example']],
      ['response', 'ben@contoso.example', ['ann@contoso.example']],
    ]);
    const quiet = (
      await ann('POST', '/me/events', {
        subject: 'Quiet',
        ...timed('2030-01-21T09:00:00'),
        attendees: [{ emailAddress: { address: 'ben@contoso.example' } }],
      })
    ).body;
    const quietCopy = fake.control
      .events(fake.control.calendarId('ben@contoso.example'))
      .find((e) => e.subject === 'Quiet')!;
    fake.control.clearMails();
    expect((await ben('POST', `/me/events/${quietCopy.id}/decline`, { sendResponse: false })).status).toBe(202);
    expect(fake.control.mails()).toEqual([]);
    expect(quiet.id).not.toBe(quietCopy.id);
  });

  it("/users/{id|upn} paths reach the caller's own mailbox and what others shared; a hybrid on-premises mailbox answers 404", async () => {
    fake.control.seed({ users: [{ userPrincipalName: 'old@contoso.example', onPremisesMailbox: true }] });
    const ann = graphFor(fake, tokenFor(fake, 'ann@contoso.example'));
    const annId = fake.control.user('ann@contoso.example').id;
    expect((await ann<{ value: Json[] }>('GET', `/users/${annId}/calendars`)).body.value.map((c) => c.name)).toContain(
      'Calendar',
    );
    const bens = (await ann<{ value: Json[] }>('GET', '/users/ben@contoso.example/calendars')).body.value;
    expect(bens.map((c) => [c.name, c.canEdit]).sort()).toEqual([
      ['Shared Board', true],
      ['Team', false],
    ]);
    expect((await ann('GET', '/users/ben@contoso.example')).body).toMatchObject({
      error: { code: 'Authorization_RequestDenied' },
    });
    expect((await ann('GET', '/users/nobody@contoso.example/calendars')).body).toMatchObject({
      error: { code: 'ErrorInvalidUser' },
    });
    const old = graphFor(fake, tokenFor(fake, 'old@contoso.example'));
    expect(await old('GET', '/me/calendars')).toMatchObject({
      status: 404,
      body: { error: { code: 'MailboxNotEnabledForRESTAPI' } },
    });
  });

  it('the home page lists every mailbox, its calendars and events, and the mail log; all text is escaped', async () => {
    fake.control.createEvent('ann@contoso.example', {
      subject: '<script>x</script> Busy',
      ...timed('2030-01-22T09:00:00'),
      attendees: [{ emailAddress: { address: 'ben@contoso.example' } }],
    });
    const res = await fetch(`${fake.url}/`);
    const html = await res.text();
    expect(res.headers.get('content-type')).toContain('text/html');
    for (const upn of [
      'ann@contoso.example',
      'ben@contoso.example',
      'cat@contoso.example',
      'dan@fabrikam.example',
      'eve@outlook.example',
    ])
      expect(html).toContain(upn);
    expect(html).toContain('Shared Board');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt; Busy');
    expect(html).not.toContain('<script>x');
    expect(html).toMatch(/invitation<\/td><td>ann@contoso\.example → ben@contoso\.example/);
  });

  it('the control API works over HTTP, and the call log records every Graph and identity call', async () => {
    expect((await call(`${fake.url}/__control/reset`, { method: 'POST', body: { seed: 'demo' } })).status).toBe(200);
    const users = (await call<Json[]>(`${fake.url}/__control/users`)).body;
    expect(users.map((u) => u.userPrincipalName)).toContain('alice@fabrikam.example');
    const token = (
      await call(`${fake.url}/__control/users/alice@fabrikam.example/access-token`, {
        method: 'POST',
        body: { clientId: DEMO_MICROSOFT_APP.clientId },
      })
    ).body.access_token as string;
    const alice = graphFor(fake, token);
    const cals = (await alice<{ value: Json[] }>('GET', '/me/calendars')).body.value;
    expect(cals.find((c) => c.name === 'Fabrikam Projects')).toMatchObject({ canEdit: false });
    const fault = await call(`${fake.url}/__control/faults`, {
      method: 'POST',
      body: { kind: 'calendars.list', status: 503, retryAfter: 2, times: 1 },
    });
    expect(fault.body.id).toBeTruthy();
    expect((await alice('GET', '/me/calendars')).status).toBe(503);
    expect((await alice('GET', '/me/calendars')).status).toBe(200);
    const log = (await call<Json[]>(`${fake.url}/__control/calls?kind=calendars.list`)).body;
    expect(log.map((r) => r.status)).toEqual([200, 503, 200]);
    expect(log.every((r) => r.account === 'alice@fabrikam.example')).toBe(true);
    await call(`${fake.url}/__control/clock/advance`, { method: 'POST', body: { ms: 3600_000 } });
    expect((await alice('GET', '/me')).status).toBe(401);
  });

  it('the demo seed: a Microsoft 365 client tenant with a shared read-only calendar, a daily stand-up series and a null-mail user', async () => {
    const demo = await startFakeMicrosoft({ seed: 'demo' });
    try {
      const alice = graphFor(demo, demo.control.mintAccessToken('alice@fabrikam.example', DEMO_MICROSOFT_APP.clientId));
      const from = new Date(demo.control.now()).toISOString();
      const to = new Date(demo.control.now() + 14 * 86_400_000).toISOString();
      const view = (
        await alice<{ value: Json[] }>('GET', `/me/calendarView?startDateTime=${from}&endDateTime=${to}&$top=100`)
      ).body.value;
      expect(view.filter((e) => e.subject === 'Fabrikam daily stand-up').length).toBeGreaterThanOrEqual(5);
      expect(view.find((e) => e.subject === 'Bob: steering committee')).toMatchObject({ isOrganizer: false });
      expect(demo.control.users().find((u) => u.userPrincipalName === 'rooms@fabrikam.example')).toMatchObject({
        mail: null,
      });
    } finally {
      await demo.close();
    }
  });
});
