import { CallRecord } from '../fake-google';
import { SyncWorld } from '../support/sync-world';
import { GoogleAccountsService } from '../../src/google/google-accounts.service';
import {
  connectAll,
  managedCount,
  personActs,
  problems,
  prng,
  reliabilitySeed,
  RelUser,
  sleep,
} from './reliability-world';

/**
 * A 429 storm is ridden out with Retry-After honoured and each account backing off. For STORM_MS over half the
 * Calendar API calls are refused: 429 rateLimitExceeded with Retry-After, or Google's usual 403
 * rateLimitExceeded without it, while people edit calendars, webhooks ask for syncs and the poll runs (the
 * calls that pass let syncs move on, and tempt the product to hurry). Measured from the emulator's call log:
 * per account, once it has seen a rate-limit answer, no call before a Retry-After ran out, and on average no
 * faster than it sent in the second before that first answer, or one call a second if it sent less (the
 * pace is cut, then climbs only while Google accepts). Afterwards the ordinary jobs bring everything back in line.
 */
const STORM_MS = Number(process.env.STORM_MS ?? 10_000);
const RETRY_AFTER_S = 2;
const USERS = 2;
/** Timestamps are taken where the emulator receives a request, ours where we send it: a little slack. */
const SLACK_MS = 30;

const isCalendarCall = (c: CallRecord) => c.path.startsWith('/calendar/v3/');
/** A fault is answered before the token is looked at, so its record has no account; here every calendar is its owner's. */
const accountOf = (c: CallRecord) => c.account ?? c.calendarId;

/** Every breach of "back off" and of Retry-After, per account, after its first rate-limit answer. */
function breaches(calls: CallRecord[], stormEnd: number): string[] {
  const out: string[] = [];
  const byAccount = new Map<string, CallRecord[]>();
  for (const c of calls) {
    const account = accountOf(c);
    if (account && isCalendarCall(c)) byAccount.set(account, [...(byAccount.get(account) ?? []), c]);
  }
  for (const [account, list] of byAccount) {
    const first429 = list.findIndex((c) => c.faulted);
    if (first429 < 0) continue;
    const t0 = list[first429].time;
    const before = Math.max(1, list.filter((c) => c.time >= t0 - 1000 && c.time < t0).length);
    const after = list.filter((c) => c.time > t0 && c.time <= stormEnd).length;
    const allowed = Math.floor((before * (stormEnd - t0)) / 1000) + 1;
    if (after > allowed)
      out.push(
        `${account}: ${after} calls in the ${stormEnd - t0} ms after its first rate-limit answer, ${before} a second before it`,
      );
    for (let i = first429 + 1; i < list.length && list[i].time <= stormEnd; i++) {
      const gap = list[i].time - list[i - 1].time;
      if (list[i - 1].status === 429 && gap < RETRY_AFTER_S * 1000 - SLACK_MS)
        out.push(`${account}: called ${gap} ms after a 429 with Retry-After ${RETRY_AFTER_S}`);
    }
  }
  return out;
}

describe('a 429 storm', () => {
  let world: SyncWorld;
  let users: RelUser[];
  beforeAll(async () => {
    world = await SyncWorld.start(reliabilitySeed(USERS));
    users = await connectAll(world, USERS);
    const rand = prng(31);
    for (let i = 0; i < 30; i++) personActs(world, users, rand);
    for (const u of users) await world.sync.fullResync(u.user.id);
    // Production's retry policy (SyncWorld shortens it for other tests).
    world.product.app.get(GoogleAccountsService).setRetryOptions(undefined);
  }, 60_000);
  afterAll(async () => world?.close());

  it('is ridden out: Retry-After honoured, every account backing off, then convergence', async () => {
    expect(await problems(world, users)).toEqual([]);
    const g = world.fake.control;
    const rand = prng(32);
    const stormStart = Date.now();
    g.injectFault({
      path: '/calendar/v3/',
      status: 429,
      reason: 'rateLimitExceeded',
      retryAfter: RETRY_AFTER_S,
      share: 0.35,
    });
    g.injectFault({ path: '/calendar/v3/', status: 403, reason: 'rateLimitExceeded', share: 0.25 });
    let pushes = 0;
    void world.sync.pollAll();
    while (Date.now() - stormStart < STORM_MS) {
      // Each change "pushed" twice, as Google often does; the product's webhook path is requestSync.
      const row = personActs(world, users, rand);
      world.sync.requestSync(row, 'webhook');
      world.sync.requestSync(row, 'webhook');
      pushes++;
      if (pushes % 10 === 0) void world.sync.pollAll();
      await sleep(200);
    }
    g.clearFaults();
    const stormEnd = Date.now();
    const calls = g.callLog({ since: stormStart });
    const during = calls.filter((c) => c.time <= stormEnd && isCalendarCall(c));
    const accounts = new Set(during.filter((c) => c.faulted).map(accountOf));
    const perAccountRate =
      Math.max(...[...accounts].map((a) => during.filter((c) => accountOf(c) === a).length)) / (STORM_MS / 1000);

    console.log(
      `429 storm: ${STORM_MS} ms, ${pushes} changes pushed twice, ${during.length} calendar calls (${during.filter((c) => c.status === 429).length} answered 429, ${during.filter((c) => c.status === 403).length} 403) from ${accounts.size} accounts, busiest account ${perAccountRate.toFixed(2)} calls/s`,
    );
    // STORM_DEBUG=1 prints the storm's call log.

    if (process.env.STORM_DEBUG)
      console.log(during.map((c) => `${c.time - stormStart} ${accountOf(c)} ${c.kind} ${c.status}`).join('\n'));
    expect(accounts.size).toBeGreaterThanOrEqual(4); // the storm hit many accounts, not one
    expect(breaches(calls, stormEnd)).toEqual([]);

    // After the storm: the hourly consistency check and a poll round (failed calendars sit in backoff).
    await world.sync.onIdle();
    await world.sync.consistencyCheck();
    await world.sync.pollAll();
    await world.sync.onIdle();
    expect(await problems(world, users)).toEqual([]);
    expect(managedCount(world, users)).toBeGreaterThan(20);
  }, 180_000);
});
