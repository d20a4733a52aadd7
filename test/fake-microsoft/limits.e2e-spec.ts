import { FakeMicrosoft } from './index';
import { CLIENT_ID, graphFor, startSeeded, tokenFor } from './test-helpers';

type Json = Record<string, unknown>;

describe('fake Microsoft: limits and batching (checklist rows 31-32)', () => {
  let fake: FakeMicrosoft;
  let ann: ReturnType<typeof graphFor>;
  beforeEach(async () => {
    fake = await startSeeded();
    ann = graphFor(fake, tokenFor(fake, 'ann@contoso.example'));
  });
  afterEach(() => fake.close());

  it('row 31: throttling: 429 + Retry-After, 503 MailboxConcurrency, and a 4-concurrent-per-mailbox limit', async () => {
    fake.control.setOptions({ requestsPer10Min: 3 });
    for (let i = 0; i < 3; i++) expect((await ann('GET', '/me/calendars')).status).toBe(200);
    const limited = await ann('GET', '/me/calendars');
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'TooManyRequests' } } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The budget is per app and mailbox: Ben is unaffected; time travel refills Ann's.
    expect((await graphFor(fake, tokenFor(fake, 'ben@contoso.example'))('GET', '/me/calendars')).status).toBe(200);
    fake.control.advanceClock(10 * 60_000 + 1);
    ann = graphFor(fake, tokenFor(fake, 'ann@contoso.example'));
    expect((await ann('GET', '/me/calendars')).status).toBe(200);

    fake.control.setOptions({ requestsPer10Min: 10_000 });
    fake.control.setLatency(800); // holds the six requests long enough to overlap even on a busy machine
    const answers = await Promise.all(Array.from({ length: 6 }, () => ann('GET', '/me/calendars')));
    fake.control.setLatency(0);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 503, 503]);
    const busy = answers.find((a) => a.status === 503)!;
    expect(busy.body).toMatchObject({ error: { code: 'MailboxConcurrency' } });
    expect(busy.headers.get('retry-after')).toBe('1');

    fake.control.injectFault({ kind: 'events.list', status: 429, retryAfter: 7, times: 1 });
    const injected = await ann('GET', '/me/events');
    expect(injected).toMatchObject({ status: 429, body: { error: { code: 'TooManyRequests' } } });
    expect(injected.headers.get('retry-after')).toBe('7');
    expect(fake.control.callLog({ kind: 'events.list' })).toEqual([
      expect.objectContaining({ status: 429, faulted: true, account: 'ann@contoso.example' }),
    ]);
  });

  it('row 32: $batch of ≤20 requests, with inner 429s under a 200', async () => {
    const token = fake.control.mintAccessToken('ann@contoso.example', CLIENT_ID);
    const requests = Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, method: 'GET', url: '/me/calendars' }));
    fake.control.setOptions({ requestsPer10Min: 3 });
    const batch = await graphFor(fake, token)<{ responses: Json[] }>('POST', '/$batch', { requests });
    expect(batch.status).toBe(200);
    const byStatus = batch.body.responses.map((r) => r.status).sort();
    expect(byStatus).toEqual([200, 200, 200, 429, 429]);
    expect(batch.body.responses.map((r) => r.id).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    const throttled = batch.body.responses.find((r) => r.status === 429)!;
    expect(throttled.headers).toMatchObject({ 'Retry-After': expect.any(String) });
    expect(throttled.body).toMatchObject({ error: { code: 'TooManyRequests' } });
    const tooMany = Array.from({ length: 21 }, (_, i) => ({ id: `x${i}`, method: 'GET', url: '/me' }));
    expect((await graphFor(fake, token)('POST', '/$batch', { requests: tooMany })).status).toBe(400);
    fake.control.setOptions({ requestsPer10Min: 10_000 });
    const write = await graphFor(fake, token)<{ responses: Json[] }>('POST', '/$batch', {
      requests: [
        {
          id: 'c',
          method: 'POST',
          url: '/me/events',
          headers: { 'content-type': 'application/json' },
          body: {
            subject: 'batched',
            start: { dateTime: '2030-01-01T09:00:00', timeZone: 'UTC' },
            end: { dateTime: '2030-01-01T10:00:00', timeZone: 'UTC' },
          },
        },
      ],
    });
    expect(write.body.responses[0]).toMatchObject({ id: 'c', status: 201, body: { subject: 'batched' } });
  });
});
