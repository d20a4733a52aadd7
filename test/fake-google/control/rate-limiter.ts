import { Errors } from '../errors';
import { Calendar } from '../model';

/** Sliding one-second window of writes per calendar ("writing to a single calendar in quick succession"). */
export class WriteRateLimiter {
  private windows = new Map<string, number[]>();

  reset(): void {
    this.windows.clear();
  }

  check(cal: Calendar, nowMs = Date.now()): void {
    const limit = cal.writeLimit;
    if (!limit) return;
    const recent = (this.windows.get(cal.id) ?? []).filter((t) => t > nowMs - 1000);
    if (recent.length >= limit.perSecond) {
      this.windows.set(cal.id, recent);
      throw Errors.rateLimit(limit.status, limit.retryAfter);
    }
    recent.push(nowMs);
    this.windows.set(cal.id, recent);
  }
}
