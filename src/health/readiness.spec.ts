import { readiness, ReadinessFacts } from './readiness';

describe('readiness', () => {
  const base: ReadinessFacts = {
    databaseOk: true,
    jobsEnabled: true,
    pollSeconds: 60,
    lastPollCycleAt: null,
    startedAt: 0,
    now: 0,
  };

  it.each<[string, Partial<ReadinessFacts>, boolean]>([
    ['just started, no poll yet', { now: 60_000 }, true],
    ['three intervals after start, no poll yet', { now: 180_000 }, true],
    ['longer than three intervals after start without a poll', { now: 180_001 }, false],
    ['a poll two intervals ago', { lastPollCycleAt: 1_000_000, now: 1_120_000 }, true],
    ['the last poll more than three intervals ago', { lastPollCycleAt: 1_000_000, now: 1_180_001 }, false],
    ['database down', { databaseOk: false, lastPollCycleAt: 0, now: 1 }, false],
    ['jobs switched off: no cycle to wait for', { jobsEnabled: false, now: 10_000_000 }, true],
  ])('%s', (_name, facts, ready) => {
    expect(readiness({ ...base, ...facts }).ready).toBe(ready);
  });

  it('says why', () => {
    expect(readiness({ ...base, databaseOk: false })).toEqual({ ready: false, reason: 'The database is unreachable' });
    expect(readiness({ ...base, lastPollCycleAt: 0, now: 200_000 })).toEqual({
      ready: false,
      reason: 'No poll cycle has completed in the last 200 s (limit 180 s)',
    });
  });
});
