import type { ConnectResult } from './economy';
import { connectFloorSeconds, quietPollVsFloor, table } from './report';
import type { ScaleResult } from './scale';
import { median } from './support/stats';

/** Peak RSS target with the shipped memory settings, at 200 consultants. */
const RSS_TARGET_MB = 130;
/** Quiet-poll CPU per calendar may be at most this many times its bare-HTTP floor. */
const FLOOR_RATIO_TARGET = 2;

function scaleColumn(r: ScaleResult | undefined): string[] {
  if (!r) return ['not run', '-', '-', '-', '-', '-', '-', '-'];
  const f = quietPollVsFloor(r);
  const quiet = r.cycles.filter((c) => c.changedCalendars === 0 && c.latencyMs === 0);
  const cyclePeak = Math.max(...r.cycles.map((c) => c.peakRssMb));
  const p = r.probe;
  return [
    `${r.users} x ${r.calendars / r.users} = ${r.calendars}`,
    f ? `${f.productMs.toFixed(2)} ms` : 'n/a',
    f ? `${f.floorMs.toFixed(2)} ms` : 'n/a',
    f ? `${f.ratio.toFixed(1)} x (${f.ratio <= FLOOR_RATIO_TARGET ? 'met' : 'missed'})` : 'n/a',
    `${median(quiet.map((c) => c.cpuSeconds)).toFixed(1)} s / ${(median(quiet.map((c) => c.wallMs)) / 1000).toFixed(1)} s`,
    `${cyclePeak} MB (life ${r.processMaxRssMb} MB)`,
    `${r.databaseMb} MB`,
    p
      ? `${Math.round(p.p95Ms)} ms (median ${Math.round(p.medianMs)}, ${p.trials} changes, ${p.latencyMs} ms/call, floor ${p.floorMs} ms)`
      : 'not probed',
  ];
}

/** The figures the product is held to, side by side, from every section that ran. */
export function summary(results: Record<string, unknown>): string {
  const small = results.scale as ScaleResult | undefined;
  const large = results['scale-large'] as ScaleResult | undefined;
  const labels = [
    'consultants x calendars',
    'quiet poll CPU per calendar',
    'floor: bare events.list (node:http)',
    `ratio (target <= ${FLOOR_RATIO_TARGET}x)`,
    'quiet cycle CPU / wall (0 ms/call)',
    'peak RSS: cycles (whole life)',
    'database + WAL',
    'propagation p95 during a quiet cycle',
  ];
  const a = scaleColumn(small);
  const b = scaleColumn(large);
  const lines = [
    'Summary',
    table(
      ['', 'scale', 'scale-large'],
      labels.map((l, i) => [l, a[i], b[i]]),
    ),
  ];
  if (small) {
    const peak = Math.max(...small.cycles.map((c) => c.peakRssMb));
    lines.push(
      `  peak RSS at ${small.users} consultants: ${peak} MB during cycles, ${small.processMaxRssMb} MB over the process's life; target < ${RSS_TARGET_MB} MB at 200: ${small.users === 200 ? (small.processMaxRssMb < RSS_TARGET_MB ? 'MET' : 'MISSED') : 'not this size'}`,
    );
  }
  const connect = results.connect as ConnectResult[] | undefined;
  if (connect?.length) {
    lines.push(
      table(
        ['connect: limit per calendar', 'duration', 'floor (events / limit)', 'vs floor', 'refused'],
        connect.map((r) => [
          `${r.writeLimitPerSecond}/s`,
          `${(r.durationMs / 1000).toFixed(0)} s`,
          `${connectFloorSeconds(r).toFixed(0)} s`,
          `${(r.durationMs / 1000 / connectFloorSeconds(r)).toFixed(2)} x`,
          r.refused,
        ]),
      ),
    );
  }
  return lines.join('\n');
}
