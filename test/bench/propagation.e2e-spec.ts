import { useInProcessEmulator } from './in-process-emulator';
import { benchPropagation } from '../../bench/propagation';
import { report } from '../../bench/report';

// The short version of `npm run bench`'s propagation section: it must keep running and say what it measured.
// Figures are printed by the bench, never asserted.
describe('bench: propagation (tiny)', () => {
  const emulator = useInProcessEmulator();

  it('measures every trial from the emulator log, with webhooks and with polling only', async () => {
    const rows = await benchPropagation(emulator(), {
      clientCounts: [2],
      latencies: [0],
      trials: 3,
      polling: [{ clients: 2, latencyMs: 0 }],
      pollSeconds: 2,
    });
    expect(rows.map((r) => [r.mode, r.clients, r.latencyMs, r.pollSeconds, r.trials, r.incomplete, r.floorMs])).toEqual(
      [
        ['webhooks', 2, 0, null, 3, 0, 0],
        ['polling', 2, 0, 2, 3, 0, 0],
      ],
    );
    for (const r of rows) {
      expect(r.medianMs).toBeGreaterThanOrEqual(0);
      expect(r.p95Ms).toBeGreaterThanOrEqual(r.medianMs);
    }
    const text = report('propagation', rows);
    expect(text).toContain('| webhooks ');
    expect(text).toContain('polling (2 s)');
    expect(text).toMatch(/x poll/);
  }, 180_000);
});
