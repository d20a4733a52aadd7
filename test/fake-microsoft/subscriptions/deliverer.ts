import { randomUUID } from 'node:crypto';
import { isoUtc } from '../graph/time';
import { World } from '../world';
import type { LifecycleEvent, Subscription } from './subscriptions';

export interface Delivery {
  url: string;
  kind: 'validation' | 'change' | 'lifecycle';
  subscriptionId?: string;
  count: number;
  attempt: number;
  status: number | 'timeout' | 'error' | 'dropped';
}

interface Change {
  changeType: string;
  userId: string;
  eventId: string;
  etag: string;
}

const expiry = (s: Subscription) => isoUtc(s.expirationMs).replace('.0000000Z', 'Z');

/**
 * Sends what Graph sends: validation POSTs, change notifications batched per URL, lifecycle events. An answer
 * must come in time (validation 10 s, notifications 3 s); a 5xx or a timeout is retried a bounded number of times.
 */
export class Deliverer {
  readonly log: Delivery[] = [];
  /** Share (0..1) of change notifications dropped; each drop sends a `missed` lifecycle event when possible. */
  dropShare = 0;
  private queues = new Map<string, Array<Record<string, unknown>>>();
  private timers = new Set<NodeJS.Timeout>();

  constructor(private readonly world: World) {}

  reset(): void {
    this.log.length = 0;
    this.dropShare = 0;
    this.queues.clear();
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** POST ?validationToken=… ; only a 200 text/plain echo of the decoded token counts. */
  async validate(url: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: '',
        signal: AbortSignal.timeout(this.world.options.validationTimeoutMs),
      });
      const text = await res.text();
      this.log.push({ url, kind: 'validation', count: 1, attempt: 1, status: res.status });
      return res.status === 200 && (res.headers.get('content-type') ?? '').startsWith('text/plain') && text === token;
    } catch (e) {
      this.log.push({
        url,
        kind: 'validation',
        count: 1,
        attempt: 1,
        status: (e as Error).name === 'TimeoutError' ? 'timeout' : 'error',
      });
      return false;
    }
  }

  enqueue(s: Subscription, c: Change): void {
    if (this.dropShare > 0 && this.world.random.next() < this.dropShare) {
      this.log.push({
        url: s.notificationUrl,
        kind: 'change',
        subscriptionId: s.id,
        count: 1,
        attempt: 0,
        status: 'dropped',
      });
      this.lifecycle(s, 'missed');
      return;
    }
    const resource = `Users/${c.userId}/Events/${c.eventId}`;
    const item = {
      id: randomUUID(),
      subscriptionId: s.id,
      subscriptionExpirationDateTime: expiry(s),
      changeType: c.changeType,
      resource,
      resourceData: {
        '@odata.type': '#Microsoft.Graph.Event',
        '@odata.id': resource,
        '@odata.etag': c.etag,
        id: c.eventId,
      },
      clientState: s.clientState ?? null,
      tenantId: s.tenantId,
    };
    const queue = this.queues.get(s.notificationUrl);
    if (queue) return void queue.push(item);
    this.queues.set(s.notificationUrl, [item]);
    // Changes made in one tick go out as one batch, as Graph batches notifications per endpoint.
    this.later(0, () => {
      const batch = this.queues.get(s.notificationUrl) ?? [];
      this.queues.delete(s.notificationUrl);
      void this.post(s.notificationUrl, 'change', s.id, batch, 1);
    });
  }

  lifecycle(s: Subscription, event: LifecycleEvent): void {
    if (!s.lifecycleNotificationUrl) return;
    const item = {
      subscriptionId: s.id,
      subscriptionExpirationDateTime: expiry(s),
      tenantId: s.tenantId,
      clientState: s.clientState ?? null,
      lifecycleEvent: event,
    };
    const url = s.lifecycleNotificationUrl;
    this.later(0, () => void this.post(url, 'lifecycle', s.id, [item], 1));
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private async post(
    url: string,
    kind: 'change' | 'lifecycle',
    subscriptionId: string,
    value: unknown[],
    attempt: number,
  ): Promise<void> {
    let status: Delivery['status'];
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ value }),
        signal: AbortSignal.timeout(this.world.options.deliveryTimeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      status = res.status;
    } catch (e) {
      status = (e as Error).name === 'TimeoutError' ? 'timeout' : 'error';
    }
    this.log.push({ url, kind, subscriptionId, count: value.length, attempt, status });
    const retry = status === 'timeout' || status === 'error' || (typeof status === 'number' && status >= 500);
    if (retry && attempt <= this.world.options.deliveryRetries)
      this.later(this.world.options.retryDelayMs, () => void this.post(url, kind, subscriptionId, value, attempt + 1));
  }
}
