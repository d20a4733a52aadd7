export interface ReadinessFacts {
  databaseOk: boolean;
  /** Scheduled jobs switched off (JOBS_ENABLED=false): there is no poll cycle to wait for. */
  jobsEnabled: boolean;
  pollSeconds: number;
  /** Epoch ms of the last completed poll cycle, or null before the first. */
  lastPollCycleAt: number | null;
  startedAt: number;
  now: number;
}

export type Readiness = { ready: true } | { ready: false; reason: string };

/** Poll cycles that may be missed before the instance counts as stuck. */
export const MISSED_POLL_CYCLES = 3;

/**
 * Ready = the database answers and the scheduler completed a poll cycle within three intervals (counted
 * from start until the first). A poll cycle only queues syncs, so a long first sync never holds it up.
 */
export function readiness(f: ReadinessFacts): Readiness {
  if (!f.databaseOk) return { ready: false, reason: 'The database is unreachable' };
  if (!f.jobsEnabled) return { ready: true };
  const limitMs = MISSED_POLL_CYCLES * f.pollSeconds * 1000;
  const since = f.lastPollCycleAt ?? f.startedAt;
  if (f.now - since <= limitMs) return { ready: true };
  const what = f.lastPollCycleAt === null ? 'No poll cycle has completed since start' : 'No poll cycle has completed';
  return {
    ready: false,
    reason: `${what} in the last ${Math.round((f.now - since) / 1000)} s (limit ${limitMs / 1000} s)`,
  };
}
