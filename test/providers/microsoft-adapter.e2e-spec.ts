import { MicrosoftTokens } from '../../src/microsoft/microsoft-identity';
import { microsoftProvider } from '../../src/microsoft/microsoft-provider-factory';
import { FakeMicrosoft } from '../fake-microsoft';
import * as M from '../fake-microsoft/test-helpers';
import { slot } from './harnesses';

/** What only the Microsoft side has: rotating refresh tokens, mailbox concurrency, subscriptions, patterns. */
describe('Microsoft adapter against fake-microsoft', () => {
  let fake: FakeMicrosoft;
  let rotated: MicrosoftTokens[];
  const upn = 'ben@contoso.example';

  async function connect(retry = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 }) {
    const t = await M.signIn(fake, upn, { tenant: 'organizations' });
    const tokens = {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expiresAt: new Date(Date.now() + Number(t.expires_in) * 1000),
    };
    const provider = microsoftProvider(
      { microsoftBaseUrl: fake.url },
      { clientId: M.CLIENT_ID, clientSecret: M.CLIENT_SECRET },
      { mailbox: upn, tenant: 'organizations', tokens, onRotated: (next) => void rotated.push(next) },
      retry,
    );
    return { provider, tokens };
  }

  beforeEach(async () => {
    fake = await M.startSeeded();
    rotated = [];
  });
  afterEach(() => fake.close());

  it('stores each rotated refresh token before using it, and the rotated one keeps working', async () => {
    const { provider, tokens } = await connect();
    const first = await provider.refreshTokens();
    expect(first.refreshToken).toBeDefined();
    expect(first.refreshToken).not.toBe(tokens.refreshToken);
    expect(rotated.map((r) => r.refreshToken)).toEqual([first.refreshToken]);
    const second = await provider.refreshTokens();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await provider.listCalendars()).not.toHaveLength(0);
  });

  it('never has more than 4 requests of one mailbox in flight, so Graph answers no MailboxConcurrency', async () => {
    const { provider } = await connect({ attempts: 1, baseDelayMs: 5, maxDelayMs: 5 });
    fake.control.setLatency(60);
    fake.control.clearCallLog();
    await Promise.all(Array.from({ length: 12 }, () => provider.listCalendars()));
    const log = fake.control.callLog();
    expect(log.length).toBeGreaterThanOrEqual(12);
    expect(log.filter((c) => c.status === 503)).toEqual([]);
  });

  it('waits out a 503 MailboxConcurrency with Retry-After and retries', async () => {
    const { provider } = await connect();
    fake.control.injectFault({
      path: 'me/calendars',
      status: 503,
      reason: 'MailboxConcurrency',
      retryAfter: 1,
      times: 1,
    });
    expect(await provider.listCalendars()).not.toHaveLength(0);
    expect(fake.control.callLog({ status: 503 })).toHaveLength(1);
  });

  it('subscribes with clientState, renews and unsubscribes (twice is done)', async () => {
    const { provider } = await connect();
    const receiver = await M.startReceiver('echo');
    try {
      const calendarId = fake.control.calendarId(upn);
      const channel = await provider.startPush(calendarId, {
        channelId: 'ch-1',
        address: receiver.url,
        secret: 'our-secret',
        ttlSeconds: 7 * 86400,
      });
      const [sub] = fake.control.subscriptions();
      expect(sub).toMatchObject({ id: channel.resourceId, clientState: 'our-secret' });
      expect(channel.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 4230 * 60_000 + 1000);
      const renewed = await provider.renewPush(channel, 3600);
      expect(renewed!.expiresAt.getTime()).toBeLessThan(channel.expiresAt.getTime());
      await provider.stopPush(channel);
      await provider.stopPush(channel);
      expect(fake.control.subscriptions()).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('writes an RRULE series as a Graph pattern; its occurrences list with their series', async () => {
    const { provider } = await connect();
    const calendarId = fake.control.calendarId(upn);
    const { start, end } = slot(2);
    const series = await provider.createEvent(calendarId, {
      ourId: 'series-1',
      body: {
        summary: 'Weekly',
        start: { dateTime: start, timeZone: 'Europe/Berlin' },
        end: { dateTime: end, timeZone: 'Europe/Berlin' },
        showAs: 'busy',
        visibility: 'private',
        remindersOn: false,
        recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'],
        tags: { bb: '1' },
      },
    });
    expect(series.recurrence).toEqual([expect.stringMatching(/^RRULE:FREQ=WEEKLY;BYDAY=[A-Z]{2};COUNT=3$/)]);
    const listing = await provider.listChanges(calendarId, {
      cursor: null,
      window: { start: new Date(), end: new Date(Date.now() + 60 * 86400_000) },
    });
    const occurrences = listing.changes.filter((c) => c.type === 'upsert' && c.event.seriesId === series.id);
    expect(occurrences).toHaveLength(3);
  });
});
