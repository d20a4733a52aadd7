import { AlertQueueItem, CalendarSyncState, OAuthToken } from '../../src/database/entities';
import { JobRunner } from '../../src/jobs/job-runner.service';
import { SETTING_KEYS, SettingsService } from '../../src/settings/settings.service';
import { WebhookService } from '../../src/webhooks/webhook.service';
import { SyncWorld } from '../support/sync-world';
import { A, Ann, at, connectAnn, MAIN, SEED, titles } from '../sync/sync-fixtures';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
  return Date.now() - started;
}

describe('scenarios 15-17 through the scheduled jobs', () => {
  let world: SyncWorld;
  let ann: Ann;
  afterEach(async () => {
    await world.close();
  });

  it('15. with every push notification dropped, the periodic poll brings the change over', async () => {
    world = await SyncWorld.start(SEED, { SYNC_POLL_SECONDS: '1', JOBS_ENABLED: 'true' });
    ann = await connectAnn(world);
    await world.sync.fullResync(ann.user.id);
    const webhooks = world.product.app.get(WebhookService);
    for (const cal of [ann.main, ann.a]) await webhooks.registerFor(cal.id);
    world.fake.control.setWebhookDropShare(1);

    world.fake.control.createEvent(A, A, { summary: 'Missed by push', ...at(11) });
    const elapsed = await eventually(() => titles(world, MAIN).includes('Missed by push'), 15_000);

    expect(elapsed).toBeLessThan(15_000);
    const exists = world.fake.control.deliveries().filter((d) => d.state === 'exists');
    expect(exists.length).toBeGreaterThan(0);
    expect(exists.every((d) => d.status === 'dropped')).toBe(true);
  });

  describe('token refresh job', () => {
    beforeEach(async () => {
      world = await SyncWorld.start(SEED, { SYNC_POLL_SECONDS: '86400', JOBS_ENABLED: 'true' });
      // Access tokens that expire within the job's one-hour horizon.
      world.fake.control.setAccessTokenLifetime(1800);
      ann = await connectAnn(world);
      await world.sync.fullResync(ann.user.id);
      await world.product.app.get(SettingsService).set({
        [SETTING_KEYS.smtpHost]: '127.0.0.1',
        [SETTING_KEYS.smtpPort]: '1',
        [SETTING_KEYS.smtpFromAddress]: 'bb@home.example',
        [SETTING_KEYS.alertEmails]: 'ops@home.example',
      });
    });
    const tokens = () => world.db.reader.getRepository(OAuthToken).find({ order: { id: 'ASC' } });

    it('16. refreshes every token expiring within the hour before it expires', async () => {
      const before = await tokens();
      expect(before.every((t) => t.tokenExpiry!.getTime() < Date.now() + 3600_000)).toBe(true);
      world.fake.control.setAccessTokenLifetime(3600 * 2);

      await expect(world.product.app.get(JobRunner).run('token-refresh')).resolves.toBe('done');

      const after = await tokens();
      for (const [i, token] of after.entries()) {
        expect(token.tokenExpiry!.getTime()).toBeGreaterThan(Date.now() + 3600_000);
        expect(token.accessTokenEncrypted.equals(before[i].accessTokenEncrypted)).toBe(false);
        expect(token.needsReauth).toBe(false);
      }
      // The refreshed tokens work.
      world.fake.control.createEvent(A, A, { summary: 'After refresh', ...at(12) });
      await world.sync.syncCalendarNow(ann.a.id);
      expect(titles(world, MAIN)).toContain('After refresh');
    });

    it('17. a revoked grant found by the refresh job pauses that account and alerts user and admins', async () => {
      world.fake.control.revokeGrants(A);

      await expect(world.product.app.get(JobRunner).run('token-refresh')).resolves.toBe('done');

      const byEmail = new Map((await tokens()).map((t) => [t.googleAccountEmail, t]));
      expect(byEmail.get(A)!.needsReauth).toBe(true);
      expect([...byEmail.values()].filter((t) => t.needsReauth)).toHaveLength(1);
      const state = await world.db.reader
        .getRepository(CalendarSyncState)
        .findOneByOrFail({ clientCalendarId: ann.a.id });
      expect(state.status).toBe('needs_reauth');
      const alerts = await world.db.reader.getRepository(AlertQueueItem).find({ order: { id: 'ASC' } });
      expect(alerts.map((a) => [a.alertType, a.recipientEmail])).toEqual([
        ['token_revoked', MAIN],
        ['token_revoked', 'ops@home.example'],
      ]);
      // The other accounts go on syncing.
      await world.sync.syncCalendarNow(ann.b.id);
    });
  });
});
