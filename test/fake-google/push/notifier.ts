import { Errors } from '../errors';
import { SeededRandom } from '../../fake-shared/random';
import { Calendar } from '../model';
import { World } from '../world';

export interface Channel {
  id: string;
  resourceId: string;
  resourceUri: string;
  calendarId: string;
  address: string;
  token?: string;
  /** Unix ms. */
  expiration: number;
  account: string;
  clientId: string;
  messageNumber: number;
}

export interface WatchRequest {
  id?: unknown;
  type?: unknown;
  address?: unknown;
  token?: unknown;
  expiration?: unknown;
  params?: { ttl?: unknown } | null;
}

export interface Delivery {
  channelId: string;
  state: 'sync' | 'exists';
  messageNumber: number;
  status: number | 'error' | 'dropped';
}

/**
 * Watch channels and their webhooks. Deliveries are fire-and-forget on a timer so the API answer never
 * waits for the receiver; http:// addresses are allowed (tests), unlike Google.
 */
export class PushNotifier {
  private channels = new Map<string, Channel>();
  private timers = new Set<NodeJS.Timeout>();
  dropShare = 0;
  delayMs = 0;
  readonly deliveries: Delivery[] = [];

  constructor(
    private readonly world: World,
    private readonly random: SeededRandom,
    private readonly publicUrl: () => string,
  ) {
    world.onChange((calendarId) => this.calendarChanged(calendarId));
  }

  reset(): void {
    this.channels.clear();
    this.dropShare = 0;
    this.delayMs = 0;
    this.deliveries.length = 0;
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  watch(cal: Calendar, req: WatchRequest, account: string, clientId: string): Channel {
    if (typeof req.id !== 'string' || !req.id || req.id.length > 64) throw Errors.required('Required channel id.');
    if (req.type !== 'web_hook' && req.type !== 'webhook') throw Errors.invalid('Invalid channel type.');
    if (typeof req.address !== 'string' || !/^https?:\/\//.test(req.address))
      throw Errors.invalid('Invalid channel address.');
    if (req.token !== undefined && (typeof req.token !== 'string' || req.token.length > 256))
      throw Errors.invalid('Invalid channel token.');
    if (this.channels.has(req.id)) throw Errors.duplicate();
    const now = this.world.clock.now();
    const ttlSec = Math.min(Number(req.params?.ttl ?? 604800) || 604800, this.world.options.maxChannelTtlSec);
    let expiration = now + ttlSec * 1000;
    if (req.expiration !== undefined && Number(req.expiration) > now)
      expiration = Math.min(expiration, Number(req.expiration));
    const channel: Channel = {
      id: req.id,
      resourceId: cal.resourceId,
      resourceUri: `${this.publicUrl()}/calendar/v3/calendars/${encodeURIComponent(cal.id)}/events?alt=json`,
      calendarId: cal.id,
      address: req.address,
      token: req.token as string | undefined,
      expiration,
      account,
      clientId,
      messageNumber: 0,
    };
    this.channels.set(channel.id, channel);
    this.schedule(channel, 'sync');
    return channel;
  }

  /** Only the creating account and client may stop a channel (fact sheet §5.3). */
  stop(id: unknown, resourceId: unknown, account: string, clientId: string): void {
    if (typeof id !== 'string' || typeof resourceId !== 'string')
      throw Errors.required('Required parameter: id and resourceId');
    const ch = this.channels.get(id);
    if (!ch || ch.resourceId !== resourceId) throw Errors.notFound();
    if (ch.account !== account || ch.clientId !== clientId) throw Errors.notFound();
    this.channels.delete(id);
  }

  active(): Channel[] {
    const now = this.world.clock.now();
    return [...this.channels.values()].filter((c) => c.expiration > now).map((c) => ({ ...c }));
  }

  private calendarChanged(calendarId: string): void {
    for (const ch of this.channels.values()) if (ch.calendarId === calendarId) this.schedule(ch, 'exists');
  }

  private schedule(ch: Channel, state: 'sync' | 'exists'): void {
    if (ch.expiration <= this.world.clock.now()) return;
    // Google's numbers increase but need not be sequential; ours are sequential, which is allowed.
    const messageNumber = ++ch.messageNumber;
    if (state !== 'sync' && this.dropShare > 0 && this.random.next() < this.dropShare) {
      this.deliveries.push({ channelId: ch.id, state, messageNumber, status: 'dropped' });
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deliver(ch, state, messageNumber);
    }, this.delayMs);
    this.timers.add(timer);
  }

  private async deliver(ch: Channel, state: 'sync' | 'exists', messageNumber: number): Promise<void> {
    // A channel stopped or expired while the message waited sends nothing.
    if (this.channels.get(ch.id) !== ch || ch.expiration <= this.world.clock.now()) return;
    const headers: Record<string, string> = {
      'X-Goog-Channel-ID': ch.id,
      'X-Goog-Resource-ID': ch.resourceId,
      'X-Goog-Resource-State': state,
      'X-Goog-Resource-URI': ch.resourceUri,
      'X-Goog-Message-Number': String(messageNumber),
      'X-Goog-Channel-Expiration': new Date(ch.expiration).toUTCString(),
      'User-Agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
      'Content-Type': 'application/json; utf-8',
    };
    if (ch.token !== undefined) headers['X-Goog-Channel-Token'] = ch.token;
    try {
      const res = await fetch(ch.address, { method: 'POST', headers, body: '', signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer().catch(() => undefined);
      this.deliveries.push({ channelId: ch.id, state, messageNumber, status: res.status });
    } catch {
      this.deliveries.push({ channelId: ch.id, state, messageNumber, status: 'error' });
    }
  }
}
