import { useInProcessEmulator } from './in-process-emulator';
import { benchConnect, benchEconomy } from '../../bench/economy';
import { report } from '../../bench/report';

// The short version of the API-economy and connect sections. Call counts are correctness, not timing:
// a change costs one list, one write per target and one list per echo, and a quiet poll writes nothing.
describe('bench: API economy (tiny)', () => {
  const emulator = useInProcessEmulator();

  it('counts calls per change against the minimum', async () => {
    const rows = await benchEconomy(emulator(), 2);
    expect(rows.map((r) => r.change)).toEqual([
      'create',
      'edit (time)',
      'edit (title only)',
      'delete',
      'recurring-instance edit (time)',
      'poll cycle, no changes',
    ]);
    const byChange = Object.fromEntries(rows.map((r) => [r.change, r]));
    for (const change of ['create', 'edit (time)', 'edit (title only)', 'delete', 'poll cycle, no changes']) {
      const r = byChange[change];
      expect({ change, lists: r.lists, writes: r.writes, other: r.other }).toEqual({
        change,
        lists: r.minimum.lists,
        writes: r.minimum.writes,
        other: 0,
      });
    }
    expect(byChange['create'].calls['events.insert']).toBe(2);
    expect(byChange['delete'].calls['events.delete']).toBe(2);
    expect(byChange['recurring-instance edit (time)'].writes).toBeGreaterThanOrEqual(2);
    expect(report('economy', rows)).toContain('| create ');
  }, 180_000);

  it('connects a calendar full of events: a copy on main and a block on the other client for each', async () => {
    const r = await benchConnect(emulator(), 12, 1, 50);
    expect(r.copiesOnMain).toBe(12);
    expect(r.blocksPerOtherClient).toEqual([12]);
    expect(r.calls['events.insert']).toBeGreaterThanOrEqual(24);
    expect(r.durationMs).toBeGreaterThan(0);
    expect(r.targets).toBe(2);
    const text = report('connect', [r]);
    expect(text).toContain('Connecting a calendar with 12 future events');
    expect(text).toMatch(/\| 50\/s +\| [\d.]+ s +\| 0 s/); // the floor: 12 events at 50 a second
  }, 180_000);
});
