interface Job {
  key: string;
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  promise: Promise<unknown>;
  /** A periodic poll: everything else (webhooks, Sync Now, connects) goes ahead of it. */
  background: boolean;
}

interface Lane {
  jobs: Job[];
  active: boolean;
}

/**
 * One lane per user: a user's work runs one job at a time (their calendars never sync concurrently, so
 * two syncs can't both write the same copy), while up to `maxParallel` users run side by side. A job
 * whose key is already waiting in its lane is coalesced into it: ten webhooks in a burst cost one sync.
 * Background jobs (the periodic poll of every calendar) yield to the rest: a webhook arriving while a poll
 * cycle over thousands of calendars is queued runs next, not after the whole cycle.
 */
export class UserLanes {
  private readonly lanes = new Map<number, Lane>();
  private readonly waiting: number[] = [];
  /** Users with other than background work queued: served before `waiting`. */
  private readonly urgent: number[] = [];
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly maxParallel = 4) {}

  enqueue<T>(userId: number, key: string, work: () => Promise<T>, options: { background?: boolean } = {}): Promise<T> {
    const background = options.background === true;
    let lane = this.lanes.get(userId);
    if (!lane) {
      lane = { jobs: [], active: false };
      this.lanes.set(userId, lane);
    }
    const queued = lane.jobs.find((j) => j.key === key);
    if (queued) {
      if (!background && queued.background) {
        // The same sync, now wanted at once: it moves ahead of the lane's background jobs, the lane ahead of polls.
        lane.jobs.splice(lane.jobs.indexOf(queued), 1);
        this.insert(lane, queued, false);
        this.schedule(userId, lane);
      }
      return queued.promise as Promise<T>;
    }
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.insert(lane, { key, work, resolve, reject, promise, background }, background);
    this.schedule(userId, lane);
    this.pump();
    return promise as Promise<T>;
  }

  /** Background jobs at the end; others after the other non-background ones, ahead of background ones. */
  private insert(lane: Lane, job: Job, background: boolean): void {
    job.background = background;
    const firstBackground = lane.jobs.findIndex((j) => j.background);
    if (background || firstBackground < 0) lane.jobs.push(job);
    else lane.jobs.splice(firstBackground, 0, job);
  }

  /** Puts an idle lane's user in the right queue (urgent when any of its jobs is not background). */
  private schedule(userId: number, lane: Lane): void {
    if (lane.active) return;
    const urgent = lane.jobs.some((j) => !j.background);
    if (urgent) {
      const i = this.waiting.indexOf(userId);
      if (i >= 0) this.waiting.splice(i, 1);
      if (!this.urgent.includes(userId)) this.urgent.push(userId);
    } else if (!this.urgent.includes(userId) && !this.waiting.includes(userId)) this.waiting.push(userId);
  }

  /** Resolves when no job is queued or running. */
  onIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  isIdle(): boolean {
    return this.running === 0 && this.waiting.length === 0 && this.urgent.length === 0;
  }

  pendingFor(userId: number): number {
    return this.lanes.get(userId)?.jobs.length ?? 0;
  }

  private pump(): void {
    while (this.running < this.maxParallel && (this.urgent.length > 0 || this.waiting.length > 0)) {
      const userId = (this.urgent.length > 0 ? this.urgent.shift() : this.waiting.shift()) as number;
      const lane = this.lanes.get(userId);
      if (!lane || lane.active || lane.jobs.length === 0) continue;
      lane.active = true;
      this.running++;
      void this.drain(userId, lane);
    }
    if (this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async drain(userId: number, lane: Lane): Promise<void> {
    // Each job leaves the queue when it starts, so a trigger arriving meanwhile queues a fresh run.
    for (let job = lane.jobs.shift(); job; job = lane.jobs.shift()) {
      try {
        job.resolve(await job.work());
      } catch (error) {
        job.reject(error);
      }
    }
    lane.active = false;
    this.running--;
    if (lane.jobs.length === 0) this.lanes.delete(userId);
    else this.schedule(userId, lane);
    this.pump();
  }
}
