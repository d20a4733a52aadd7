import { Graph, GraphError } from '../errors';
import { World } from '../world';

const WINDOW_MS = 10 * 60_000;

/**
 * Outlook's limits apply per app and mailbox (THROTTLE): a request budget per 10 minutes (429 + Retry-After) and
 * a few concurrent requests (observed: 503 MailboxConcurrency + Retry-After).
 */
export class Throttle {
  private inFlight = new Map<string, number>();
  private recent = new Map<string, number[]>();

  constructor(private readonly world: World) {}

  reset(): void {
    this.inFlight.clear();
    this.recent.clear();
  }

  /** Admits a request or answers the throttling error; an admitted request must call the returned release. */
  enter(key: string): { release: () => void } | GraphError {
    const now = this.world.clock.now();
    const opts = this.world.options;
    const times = (this.recent.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    this.recent.set(key, times);
    if (times.length >= opts.requestsPer10Min)
      return Graph.tooManyRequests(Math.max(1, Math.ceil((times[0] + WINDOW_MS - now) / 1000)));
    const busy = this.inFlight.get(key) ?? 0;
    if (busy >= opts.concurrentPerMailbox) return Graph.mailboxConcurrency(1);
    times.push(now);
    this.inFlight.set(key, busy + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
      },
    };
  }
}
