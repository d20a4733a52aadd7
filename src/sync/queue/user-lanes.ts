interface Job {
  key: string;
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  promise: Promise<unknown>;
}

interface Lane {
  jobs: Job[];
  active: boolean;
}

/**
 * One lane per user: a user's work runs one job at a time (their calendars never sync concurrently, so
 * two syncs can't both write the same copy), while up to `maxParallel` users run side by side. A job
 * whose key is already waiting in its lane is coalesced into it: ten webhooks in a burst cost one sync.
 */
export class UserLanes {
  private readonly lanes = new Map<number, Lane>();
  private readonly waiting: number[] = [];
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly maxParallel = 4) {}

  enqueue<T>(userId: number, key: string, work: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(userId);
    if (!lane) {
      lane = { jobs: [], active: false };
      this.lanes.set(userId, lane);
    }
    const queued = lane.jobs.find((j) => j.key === key);
    if (queued) return queued.promise as Promise<T>;
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    lane.jobs.push({ key, work, resolve, reject, promise });
    if (!lane.active && !this.waiting.includes(userId)) this.waiting.push(userId);
    this.pump();
    return promise as Promise<T>;
  }

  /** Resolves when no job is queued or running. */
  onIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  isIdle(): boolean {
    return this.running === 0 && this.waiting.length === 0;
  }

  pendingFor(userId: number): number {
    return this.lanes.get(userId)?.jobs.length ?? 0;
  }

  private pump(): void {
    while (this.running < this.maxParallel && this.waiting.length > 0) {
      const userId = this.waiting.shift() as number;
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
    else this.waiting.push(userId);
    this.pump();
  }
}
