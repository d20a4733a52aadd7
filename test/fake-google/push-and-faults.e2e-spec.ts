import { calendar_v3 } from '@googleapis/calendar';
import { FakeGoogle } from './index';
import { apiFor, googleError, startReceiver, startSeeded, timed } from './test-helpers';

describe('fake Google: push notifications', () => {
  let fake: FakeGoogle;
  let ann: calendar_v3.Calendar;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    fake = await startSeeded();
    ann = await apiFor(fake, 'ann@home.example');
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await fake.close();
    await receiver.close();
  });

  it('sends sync first, then exists on every change, with Google headers and an empty body; nothing after channels.stop', async () => {
    const watch = await ann.events.watch({
      calendarId: 'primary',
      requestBody: { id: 'chan-1', type: 'web_hook', address: receiver.url, token: 'tok-1' },
    });
    expect(watch.data).toMatchObject({ kind: 'api#channel', id: 'chan-1', token: 'tok-1' });
    expect(Number(watch.data.expiration) - Date.now()).toBeGreaterThan(604_000_000);
    await receiver.waitFor(1);
    const ev = await ann.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'x', ...timed('2026-12-01T10:00:00Z') },
    });
    await ann.events.delete({ calendarId: 'primary', eventId: ev.data.id! });
    await receiver.waitFor(3);
    expect(receiver.received).toHaveLength(3);
    const [sync, first, second] = receiver.received;
    expect(sync.headers).toMatchObject({
      'x-goog-channel-id': 'chan-1',
      'x-goog-channel-token': 'tok-1',
      'x-goog-resource-id': watch.data.resourceId,
      'x-goog-resource-state': 'sync',
      'x-goog-message-number': '1',
      'x-goog-resource-uri': watch.data.resourceUri,
    });
    expect(sync.headers['x-goog-channel-expiration']).toMatch(/GMT$/);
    expect(sync.body).toBe('');
    expect([first.headers['x-goog-resource-state'], second.headers['x-goog-resource-state']]).toEqual([
      'exists',
      'exists',
    ]);
    expect(Number(second.headers['x-goog-message-number'])).toBeGreaterThan(
      Number(first.headers['x-goog-message-number']),
    );

    await ann.channels.stop({ requestBody: { id: 'chan-1', resourceId: watch.data.resourceId } });
    fake.control.createEvent('ann@home.example', 'ann@home.example', {
      summary: 'after stop',
      ...timed('2026-12-02T10:00:00Z'),
    });
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.received).toHaveLength(3);
    expect(fake.control.channels()).toEqual([]);
  });

  it('caps the ttl, expires channels and can drop all notifications', async () => {
    fake.control.setMaxChannelTtl(60);
    const watch = await ann.events.watch({
      calendarId: 'primary',
      requestBody: { id: 'chan-2', type: 'web_hook', address: receiver.url, params: { ttl: '3600' } },
    });
    expect(Number(watch.data.expiration) - Date.now()).toBeLessThanOrEqual(60_000);
    await receiver.waitFor(1);
    // The emulator records a delivery when the receiver's answer is back, which can trail its arrival.
    while (fake.control.deliveries().length < 1) await new Promise((r) => setTimeout(r, 10));
    fake.control.setWebhookDropShare(1);
    fake.control.createEvent('ann@home.example', 'primary', { summary: 'dropped', ...timed('2026-12-01T10:00:00Z') });
    fake.control.setWebhookDropShare(0);
    fake.control.advanceClock(61_000);
    fake.control.createEvent('ann@home.example', 'primary', { summary: 'expired', ...timed('2026-12-01T12:00:00Z') });
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.received.map((r) => r.headers['x-goog-resource-state'])).toEqual(['sync']);
    expect(fake.control.deliveries().map((d) => d.status)).toEqual([200, 'dropped']);
  });
});

describe('fake Google: quotas, faults and the call log', () => {
  let fake: FakeGoogle;
  let ann: calendar_v3.Calendar;
  beforeEach(async () => {
    fake = await startSeeded();
    ann = await apiFor(fake, 'ann@home.example');
  });
  afterEach(() => fake.close());

  const insert = (summary: string) =>
    ann.events.insert({ calendarId: 'primary', requestBody: { summary, ...timed('2026-12-01T10:00:00Z') } });

  it('answers 403 rateLimitExceeded past the per-calendar write limit, and 429 when configured', async () => {
    fake.control.setWriteRateLimit('ann@home.example', { perSecond: 2, status: 403 });
    await insert('1');
    await insert('2');
    const err = await googleError(insert('3'));
    expect(err).toMatchObject({ status: 403, reason: 'rateLimitExceeded' });
    expect(JSON.stringify(err.body)).toContain('usageLimits');
    await ann.events.list({ calendarId: 'primary' }); // reads are not limited
    fake.control.setWriteRateLimit('ann@home.example', { perSecond: 1, status: 429, retryAfter: 2 });
    fake.control.advanceClock(1001); // the window slides on emulator time
    await insert('4');
    const tooMany = await googleError(insert('5'));
    expect(tooMany).toMatchObject({ status: 429, reason: 'rateLimitExceeded' });
    expect(tooMany.headers['retry-after']).toBe('2');
  });

  it('injects faults by kind/path for N calls', async () => {
    fake.control.injectFault({
      kind: 'events.insert',
      status: 429,
      reason: 'rateLimitExceeded',
      times: 1,
      retryAfter: 1,
    });
    const err = await googleError(insert('x'));
    expect(err).toMatchObject({ status: 429, reason: 'rateLimitExceeded' });
    expect((await insert('y')).status).toBe(200);
    fake.control.injectFault({
      method: 'GET',
      path: '/\\/events$/',
      status: 403,
      reason: 'rateLimitExceeded',
      times: 2,
    });
    expect(await googleError(ann.events.list({ calendarId: 'primary' }))).toMatchObject({
      status: 403,
      reason: 'rateLimitExceeded',
    });
    expect(await googleError(ann.events.list({ calendarId: 'primary' }))).toMatchObject({ status: 403 });
    expect((await ann.events.list({ calendarId: 'primary' })).status).toBe(200);
    fake.control.injectFault({ path: '/calendar/v3/', status: 500 });
    // The client library retries idempotent 5xx calls by itself; turn that off to see the fault.
    expect(await googleError(ann.events.list({ calendarId: 'primary' }, { retry: false }))).toMatchObject({
      status: 500,
      reason: 'backendError',
    });
    fake.control.clearFaults();
  });

  it('holds a request open and drops the socket on a timeout fault', async () => {
    fake.control.injectFault({ kind: 'events.get', timeout: true, delayMs: 50, times: 1 });
    await expect(ann.events.get({ calendarId: 'primary', eventId: 'whatever' }, { retry: false })).rejects.toThrow();
    expect(fake.control.callLog({ kind: 'events.get' })[0]).toMatchObject({ status: 0, faulted: true });
  });

  it('counts calls per operation', async () => {
    fake.control.clearCallLog();
    await insert('a');
    await ann.events.list({ calendarId: 'primary' });
    await ann.events.list({ calendarId: 'primary' });
    await googleError(ann.events.get({ calendarId: 'primary', eventId: 'missing00' }));
    expect(fake.control.callCounts()).toEqual({ 'events.insert': 1, 'events.list': 2, 'events.get': 1 });
    expect(fake.control.callLog({ kind: 'events.get' })[0]).toMatchObject({
      status: 404,
      calendarId: 'ann@home.example',
      account: 'ann@home.example',
    });
  });

  it('exposes the control API over HTTP', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${fake.url}/__control${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await (
      await post('/act', {
        action: 'create',
        as: 'ann@home.example',
        calendarId: 'primary',
        event: { summary: 'via http', ...timed('2026-12-01T10:00:00Z') },
      })
    ).json();
    expect(created.summary).toBe('via http');
    const state = await (
      await fetch(`${fake.url}/__control/calendars/${encodeURIComponent('ann@home.example')}/events`)
    ).json();
    expect(state.map((e: { data: { summary: string } }) => e.data.summary)).toContain('via http');
    await post('/faults', { kind: 'events.list', status: 503, times: 1 });
    expect((await googleError(ann.events.list({ calendarId: 'primary' }, { retry: false }))).status).toBe(503);
    const counts = await (await fetch(`${fake.url}/__control/call-counts?kind=events.list`)).json();
    expect(counts).toEqual({ 'events.list': 1 });
  });
});
