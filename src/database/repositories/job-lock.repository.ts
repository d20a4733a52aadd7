import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database.service';
import { JobLock } from '../entities';

@Injectable()
export class JobLockRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * Claims `jobName` for `owner` when it is free or its holder's heartbeat is older than `staleBefore`
   * (a crashed holder). One conditional upsert inside BEGIN IMMEDIATE: another process sharing the file
   * waits for the write lock and then sees our claim, so two claims can never both win.
   */
  claim(jobName: string, owner: string, now: Date, staleBefore: Date): Promise<boolean> {
    return this.db.write(async (m) => {
      await m.query(
        `INSERT INTO job_locks (job_name, locked_at, locked_by) VALUES (?, ?, ?)
         ON CONFLICT(job_name) DO UPDATE SET locked_at = excluded.locked_at, locked_by = excluded.locked_by
         WHERE job_locks.locked_by IS NULL OR job_locks.locked_at IS NULL OR job_locks.locked_at < ?`,
        [jobName, sqliteDate(now), owner, sqliteDate(staleBefore)],
      );
      const row = await m.getRepository(JobLock).findOneBy({ jobName });
      return row?.lockedBy === owner;
    });
  }

  /** Keeps a long run's claim fresh so it is not mistaken for a crashed one. */
  heartbeat(jobName: string, owner: string, now: Date): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(JobLock).update({ jobName, lockedBy: owner }, { lockedAt: now });
    });
  }

  release(jobName: string, owner: string): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(JobLock).update({ jobName, lockedBy: owner }, { lockedAt: null, lockedBy: null });
    });
  }

  find(jobName: string): Promise<JobLock | null> {
    return this.db.reader.getRepository(JobLock).findOneBy({ jobName });
  }
}

/** Raw queries bypass TypeORM's parameter conversion: store dates in the format its datetime columns use. */
function sqliteDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}
