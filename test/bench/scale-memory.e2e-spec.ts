import { useInProcessEmulator } from './in-process-emulator';
import { benchMemory } from '../../bench/memory';
import { report } from '../../bench/report';
import { benchScale } from '../../bench/scale';
import { summary } from '../../bench/summary';

// The short versions of the scale and memory sections: tiny worlds, shape and correctness only.
describe('bench: scale and memory (tiny)', () => {
  const emulator = useInProcessEmulator();

  it('polls every calendar once per cycle and writes only for the changed ones', async () => {
    const r = await benchScale(emulator(), {
      users: 2,
      clientsPerUser: 2,
      latencies: [0],
      changedShare: 0.2,
      repeats: 1,
    });
    expect(r.calendars).toBe(6);
    expect(r.cycles.map((c) => [c.label, c.lists, c.failed])).toEqual([
      ['no changes', 6, 0],
      ['1 changed', 6, 0],
    ]);
    expect(r.cycles[0].writes).toBe(0);
    expect(r.cycles[1].writes).toBe(2); // the moved event's copy on main and its block on the other client
    expect(r.cycles[0].cpuSeconds).toBeGreaterThan(0);
    expect(r.cycles[0].syncLogRows).toBeGreaterThanOrEqual(0);
    expect(r.cycles[0].emulatorCpuSeconds).toBeNull(); // same process here; `npm run bench` forks it
    expect(report('scale', r)).toMatch(/one core holds \d+ users/);
    // The floor: one bare events.list per polled calendar with its stored token, all quiet, CPU counted.
    expect(r.floor).toMatchObject({ calendars: 6, itemsListed: 0 });
    expect(r.floor!.httpCpuMsPerCalendar).toBeGreaterThan(0);
    expect(r.floor!.fetchCpuMsPerCalendar).toBeGreaterThan(0);
    expect(report('scale', r)).toMatch(/\| 6 calendars +\| [\d.]+ ms \| [\d.]+ ms +\| [\d.]+ x (MET|MISSED)/);
    expect(r.databaseMb).toBeGreaterThan(0);
    expect(r.probe).toBeNull();
  }, 180_000);

  it('measures propagation while a quiet poll cycle runs, and sums every section up side by side', async () => {
    const r = await benchScale(emulator(), {
      users: 3,
      clientsPerUser: 2,
      latencies: [0],
      changedShare: 0.1,
      repeats: 1,
      probe: { latencyMs: 0, trials: 2 },
    });
    const p = r.probe!;
    // Changes were made and each reached main and the other client while the cycle ran; every calendar was polled.
    expect(p.trials + p.incomplete).toBeGreaterThanOrEqual(1);
    expect(p.incomplete).toBe(0);
    expect(p.p95Ms).toBeGreaterThanOrEqual(p.medianMs);
    expect(p.lists).toBeGreaterThanOrEqual(r.calendars);
    expect(p.cycleCpuSeconds).toBeGreaterThan(0);
    const text = summary({
      'scale-large': r,
      connect: [
        {
          events: 10,
          others: 1,
          targets: 2,
          writeLimitPerSecond: 5,
          durationMs: 4000,
          calls: {},
          refused: 0,
          copiesOnMain: 10,
          blocksPerOtherClient: [10],
        },
      ],
    });
    expect(text).toContain('| consultants x calendars');
    expect(text).toContain('3 x 3 = 9');
    expect(text).toMatch(/propagation p95 during a quiet cycle +\| - +\| \d+ ms/);
    expect(text).toMatch(/\| 5\/s +\| 4 s +\| 2 s +\| 2\.00 x/); // 10 events at 5 a second: 2 s floor
  }, 180_000);

  it('samples memory every simulated hour while the jobs run on their schedule', async () => {
    const r = await benchMemory(emulator(), {
      users: 1,
      clientsPerUser: 2,
      hours: 2,
      ticksPerHour: 4,
      changesPerTick: 1,
    });
    expect(r.samples.map((s) => s.hour)).toEqual([0, 1, 2]);
    expect(r.changes).toBe(8);
    expect(r.jobRuns).toMatchObject({
      'periodic-sync': 8,
      'alert-queue': 8,
      'consistency-check': 2,
      'webhook-renewal': 1,
      'token-refresh': 4,
    });
    for (const s of r.samples) expect(s.rssMb).toBeGreaterThan(s.heapUsedMb);
    expect(report('memory', r)).toContain('slope over the second half');
  }, 180_000);
});
