/** Below this share of the pace Google last refused, a stream climbs at full speed; above it, it probes... */
const NEAR_CEILING = 0.9;
/** ...this many times more slowly: the limit is close, and each refusal costs a retry. */
const PROBE_SLOWDOWN = 10;

export interface AimdOptions {
  /** Where a stream starts before Google has said anything about it (calls per second). */
  initialPerSecond: number;
  minPerSecond: number;
  maxPerSecond: number;
  /** Additive increase: this many calls per second more for each second's worth of accepted calls. */
  increasePerSecond: number;
  /** Multiplicative decrease on a rate-limit answer (0.7: 30 % slower). */
  decrease: number;
}

/**
 * One stream of calls paced by what Google answers (additive increase, multiplicative decrease, as TCP finds
 * a link's capacity): each accepted call speeds it up a little, each rate-limit answer cuts it and holds it
 * for Retry-After. Google does not publish its limits and they differ per calendar and account, so a
 * stream settles just under the limit actually enforced instead of at a guess. Pure: time comes in.
 */
export class AimdPace {
  private rate: number;
  private nextAt = 0;
  private holdUntil = 0;
  private lastCutAt = Number.NEGATIVE_INFINITY;
  /** The pace at the last rate-limit answer: where the limit was found. */
  private ceiling = Number.POSITIVE_INFINITY;

  constructor(
    private readonly o: AimdOptions,
    initialPerSecond = o.initialPerSecond,
  ) {
    this.rate = clamp(initialPerSecond, o.minPerSecond, o.maxPerSecond);
  }

  get perSecond(): number {
    return this.rate;
  }

  /** Books the next slot and returns when it is (at or after `now`); concurrent callers line up. */
  reserve(now: number): number {
    const slot = Math.max(now, this.nextAt, this.holdUntil);
    this.nextAt = slot + 1000 / this.rate;
    return slot;
  }

  accepted(): void {
    // +increasePerSecond per second of calls: each of the `rate` calls in that second adds its share.
    const step =
      this.rate < NEAR_CEILING * this.ceiling ? this.o.increasePerSecond : this.o.increasePerSecond / PROBE_SLOWDOWN;
    this.rate = Math.min(this.o.maxPerSecond, this.rate + step / this.rate);
  }

  /**
   * A rate-limit answer. Cut at most once per interval at the new rate: the answers to calls already sent
   * at the old rate describe the same excess and must not cut again.
   */
  refused(now: number, retryAfterMs = 0): void {
    if (now - this.lastCutAt >= 1000 / this.rate) {
      this.ceiling = this.rate;
      this.rate = Math.max(this.o.minPerSecond, this.rate * this.o.decrease);
      this.lastCutAt = now;
    }
    this.holdUntil = Math.max(this.holdUntil, now + retryAfterMs);
    this.nextAt = Math.max(this.nextAt, this.holdUntil, now + 1000 / this.rate);
  }

  /** Nothing booked ahead and no hold: forgetting this stream loses only what it learned. */
  idleSince(now: number): boolean {
    return this.nextAt < now && this.holdUntil < now;
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
