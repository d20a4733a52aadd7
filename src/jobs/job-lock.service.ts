import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { JobLockRepository } from '../database/repositories/job-lock.repository';

export interface LockOptions {
  /** A claim whose heartbeat is older than this is taken over (its holder crashed). */
  staleAfterMs: number;
  /** How often a running job refreshes its claim; defaults to a third of staleAfterMs. */
  heartbeatMs?: number;
}

export type LockedRun<T> = { ran: true; result: T } | { ran: false };

/** job_locks: one run of a job at a time, across overlapping ticks and across processes sharing the file. */
@Injectable()
export class JobLockService {
  private readonly logger = new Logger(JobLockService.name);
  /** locked_by names the instance (host:pid) for operators, plus a per-run id so two runs never match. */
  private readonly instance = `${hostname()}:${process.pid}`;

  constructor(private readonly locks: JobLockRepository) {}

  async runExclusive<T>(jobName: string, work: () => Promise<T>, options: LockOptions): Promise<LockedRun<T>> {
    const owner = `${this.instance}:${randomUUID()}`;
    const now = new Date();
    if (!(await this.locks.claim(jobName, owner, now, new Date(now.getTime() - options.staleAfterMs))))
      return { ran: false };
    const beat = setInterval(
      () => {
        this.locks
          .heartbeat(jobName, owner, new Date())
          .catch((error: Error) =>
            this.logger.warn('Job lock heartbeat failed', { job: jobName, error: error.message }),
          );
      },
      options.heartbeatMs ?? Math.max(1000, Math.floor(options.staleAfterMs / 3)),
    );
    beat.unref();
    try {
      return { ran: true, result: await work() };
    } finally {
      clearInterval(beat);
      await this.locks.release(jobName, owner).catch((error: Error) =>
        // Left behind, the claim goes stale and is taken over after staleAfterMs.
        this.logger.warn('Job lock release failed', { job: jobName, error: error.message }),
      );
    }
  }
}
