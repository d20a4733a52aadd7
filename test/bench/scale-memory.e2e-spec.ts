import { useInProcessEmulator } from './in-process-emulator';
import { benchMemory } from '../../bench/memory';
import { report } from '../../bench/report';
import { benchScale } from '../../bench/scale';

// The short versions of the scale and memory sections: tiny worlds, shape and correctness only.
describe('bench: scale and memory (tiny)', () => {
  const emulator = useInProcessEmulator();

  it('polls every calendar once per cycle and writes only for the changed ones', async () => {
    const r = await benchScale(emulator(), { users: 2, clientsPerUser: 2, latencies: [0], changedShare: 0.2, repeats: 1 });
    expect(r.calendars).toBe(6);
    expect(r.cycles.map((c) => [c.label, c.lists, c.failed])).toEqual([['no changes', 6, 0], ['1 changed', 6, 0]]);
    expect(r.cycles[0].writes).toBe(0);
    expect(r.cycles[1].writes).toBe(2); // the moved event's copy on main and its block on the other client
    expect(r.cycles[0].cpuSeconds).toBeGreaterThan(0);
    expect(r.cycles[0].syncLogRows).toBeGreaterThanOrEqual(0);
    expect(r.cycles[0].emulatorCpuSeconds).toBeNull(); // same process here; `npm run bench` forks it
    expect(report('scale', r)).toMatch(/one core holds \d+ users/);
  }, 180_000);

  it('samples memory every simulated hour while the jobs run on their schedule', async () => {
    const r = await benchMemory(emulator(), { users: 1, clientsPerUser: 2, hours: 2, ticksPerHour: 4, changesPerTick: 1 });
    expect(r.samples.map((s) => s.hour)).toEqual([0, 1, 2]);
    expect(r.changes).toBe(8);
    expect(r.jobRuns).toMatchObject({ 'periodic-sync': 8, 'alert-queue': 8, 'consistency-check': 2, 'webhook-renewal': 1, 'token-refresh': 4 });
    for (const s of r.samples) expect(s.rssMb).toBeGreaterThan(s.heapUsedMb);
    expect(report('memory', r)).toContain('slope over the second half');
  }, 180_000);
});
