import { FakeMicrosoft } from './index';
import { graphFor, startReceiver, startSeeded, timed, tokenFor } from './test-helpers';

type Json = Record<string, unknown>;
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

describe('fake Microsoft: change notifications (checklist rows 28-30)', () => {
  let fake: FakeMicrosoft;
  let ann: ReturnType<typeof graphFor>;
  const receivers: Receiver[] = [];
  beforeEach(async () => {
    fake = await startSeeded();
    ann = graphFor(fake, tokenFor(fake, 'ann@contoso.example'));
  });
  afterEach(async () => {
    await fake.close();
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  };
  const inMinutes = (m: number) => new Date(fake.control.now() + m * 60_000).toISOString();
  const subscribe = (body: Json) =>
    ann('POST', '/subscriptions', {
      changeType: 'created,updated,deleted',
      resource: '/me/events',
      expirationDateTime: inMinutes(60),
      clientState: 'secret-state',
      ...body,
    });
  const settle = async (predicate: () => boolean) => {
    const deadline = Date.now() + 3000;
    while (!predicate() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  };

  it('row 28: POST /subscriptions performs the validation POST (?validationToken=) to both URLs and requires a plain-text echo within 10 s; otherwise 400', async () => {
    const good = await receiver('echo');
    const life = await receiver('echo');
    const ok = await subscribe({ notificationUrl: good.url, lifecycleNotificationUrl: life.url });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      resource: '/me/events',
      changeType: 'created,updated,deleted',
      clientState: 'secret-state',
      notificationUrl: good.url,
      lifecycleNotificationUrl: life.url,
    });
    expect(
      fake.control
        .deliveries()
        .filter((d) => d.kind === 'validation')
        .map((d) => d.url),
    ).toEqual([good.url, life.url]);
    for (const mode of ['encoded', 'json'] as const) {
      const bad = await receiver(mode);
      expect(await subscribe({ notificationUrl: bad.url })).toMatchObject({
        status: 400,
        body: { error: { code: 'ValidationError' } },
      });
      expect((await subscribe({ notificationUrl: good.url, lifecycleNotificationUrl: bad.url })).status).toBe(400);
    }
    fake.control.setOptions({ validationTimeoutMs: 200 });
    const silent = await receiver('silent');
    expect((await subscribe({ notificationUrl: silent.url })).status).toBe(400);
    expect(fake.control.subscriptions()).toHaveLength(1);
    expect((await subscribe({ notificationUrl: good.url, clientState: 'x'.repeat(129) })).status).toBe(400);
    expect((await subscribe({ notificationUrl: good.url, resource: '/me/messages' })).status).toBe(400);
    fake.control.setOptions({ requireHttpsNotificationUrl: true });
    expect((await subscribe({ notificationUrl: good.url })).status).toBe(400);
  });

  it('row 29: enforce the maximum expirationDateTime (configurable 4,230 or 10,080 min); PATCH renew; DELETE; GET list; /reauthorize', async () => {
    const hook = await receiver('echo');
    expect(await subscribe({ notificationUrl: hook.url, expirationDateTime: inMinutes(4231) })).toMatchObject({
      status: 400,
      body: { error: { message: 'Subscription expiration can only be 4230 minutes in the future.' } },
    });
    const sub = (await subscribe({ notificationUrl: hook.url, expirationDateTime: inMinutes(4229) })).body;
    fake.control.setOptions({ maxSubscriptionMinutes: 10_080 });
    expect((await ann('PATCH', `/subscriptions/${sub.id}`, { expirationDateTime: inMinutes(10_079) })).status).toBe(
      200,
    );
    expect((await ann('PATCH', `/subscriptions/${sub.id}`, { expirationDateTime: inMinutes(10_081) })).status).toBe(
      400,
    );
    expect((await ann<{ value: Json[] }>('GET', '/subscriptions')).body.value.map((s) => s.id)).toEqual([sub.id]);
    expect((await ann('POST', `/subscriptions/${sub.id}/reauthorize`)).status).toBe(204);
    expect((await ann('DELETE', `/subscriptions/${sub.id}`)).status).toBe(204);
    expect((await ann<{ value: Json[] }>('GET', '/subscriptions')).body.value).toEqual([]);
    const short = (await subscribe({ notificationUrl: hook.url, expirationDateTime: inMinutes(5) })).body;
    fake.control.advanceClock(6 * 60_000);
    ann = graphFor(fake, tokenFor(fake, 'ann@contoso.example'));
    expect((await ann('PATCH', `/subscriptions/${short.id}`, { expirationDateTime: inMinutes(60) })).status).toBe(404);
    expect((await ann('GET', '/subscriptions')).body.value).toEqual([]);
  });

  it('row 30: change notifications are delivered in batches with clientState, expecting 2xx in 3 s; retry on 5xx; missed, subscriptionRemoved, reauthorizationRequired', async () => {
    const hook = await receiver('echo');
    const life = await receiver('echo');
    const sub = (await subscribe({ notificationUrl: hook.url, lifecycleNotificationUrl: life.url })).body;
    const a = fake.control.createEvent('ann@contoso.example', { subject: 'a', ...timed('2030-05-10T09:00:00') });
    fake.control.createEvent('ann@contoso.example', { subject: 'b', ...timed('2030-05-11T09:00:00') });
    await hook.waitFor(1);
    expect(hook.received).toHaveLength(1);
    const batch = hook.notifications();
    expect(batch).toHaveLength(2);
    expect(batch[0]).toMatchObject({
      subscriptionId: sub.id,
      clientState: 'secret-state',
      changeType: 'created',
      tenantId: fake.control.tenant('contoso.example').id,
      resourceData: { '@odata.type': '#Microsoft.Graph.Event', id: a.id },
    });
    expect(String(batch[0].resource)).toBe(`Users/${fake.control.user('ann@contoso.example').id}/Events/${a.id}`);

    fake.control.setNotificationDropShare(1);
    fake.control.updateEvent('ann@contoso.example', String(a.id), { subject: 'dropped' });
    fake.control.setNotificationDropShare(0);
    await life.waitFor(1);
    expect(life.notifications()).toEqual([
      expect.objectContaining({ subscriptionId: sub.id, lifecycleEvent: 'missed', clientState: 'secret-state' }),
    ]);

    fake.control.lifecycle(String(sub.id), 'reauthorizationRequired');
    fake.control.updateEvent('ann@contoso.example', String(a.id), { subject: 'paused' });
    await life.waitFor(2);
    expect(life.notifications()[1]).toMatchObject({ lifecycleEvent: 'reauthorizationRequired' });
    await ann('POST', `/subscriptions/${sub.id}/reauthorize`);
    fake.control.deleteEvent('ann@contoso.example', String(a.id));
    await hook.waitFor(2);
    expect(
      hook
        .notifications()
        .slice(2)
        .map((n) => n.changeType),
    ).toEqual(['deleted']);

    fake.control.lifecycle(String(sub.id), 'subscriptionRemoved');
    await life.waitFor(3);
    expect(life.notifications()[2]).toMatchObject({ lifecycleEvent: 'subscriptionRemoved' });
    expect(fake.control.subscriptions()).toEqual([]);

    const failing = await receiver('echo', 500);
    await subscribe({ notificationUrl: failing.url });
    fake.control.setOptions({ deliveryRetries: 2, retryDelayMs: 10 });
    fake.control.createEvent('ann@contoso.example', { subject: 'c', ...timed('2030-05-12T09:00:00') });
    await settle(
      () => fake.control.deliveries().filter((d) => d.url === failing.url && d.kind === 'change').length >= 3,
    );
    expect(
      fake.control
        .deliveries()
        .filter((d) => d.url === failing.url && d.kind === 'change')
        .map((d) => [d.attempt, d.status]),
    ).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
    ]);

    // An answer later than the delivery timeout (3 s at Graph) counts as a failure and is retried too.
    const slow = await receiver('echo', 202, 400);
    await subscribe({ notificationUrl: slow.url });
    fake.control.setOptions({ deliveryTimeoutMs: 100, deliveryRetries: 1 });
    fake.control.createEvent('ann@contoso.example', { subject: 'd', ...timed('2030-05-13T09:00:00') });
    await settle(() => fake.control.deliveries().filter((d) => d.url === slow.url && d.kind === 'change').length >= 2);
    expect(
      fake.control
        .deliveries()
        .filter((d) => d.url === slow.url && d.kind === 'change')
        .map((d) => d.status),
    ).toEqual(['timeout', 'timeout']);
  });
});
