import type { ConnectResult, EconomyRow } from './economy';
import type { MemoryResult } from './memory';
import type { PropagationRow } from './propagation';
import type { CycleFigures, ScaleResult } from './scale';
import { median } from './support/stats';

/**
 * Assumption for the Pi 4 estimate: a Cortex-A72 at 1.5 GHz runs single-threaded Node work about 5x
 * slower than one core of this x86 server (Geekbench 5 single-core: Pi 4 ~ 250-300, recent EPYC/Xeon
 * cores ~ 1,000-1,400). The product's CPU per cycle is mostly one thread, so it scales by that ratio.
 */
export const PI4_SLOWDOWN = 5;
const CYCLE_S = 300;

export function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)} ms` : 'n/a');

function propagation(rows: PropagationRow[]): string {
  const body = rows.map((r) => [
    r.mode === 'polling' ? `polling (${r.pollSeconds} s)` : 'webhooks',
    r.clients,
    `${r.latencyMs} ms`,
    r.trials,
    r.incomplete,
    ms(r.medianMs),
    ms(r.p95Ms),
    ms(r.floorMs),
    r.mode === 'polling'
      ? `median ${(r.medianMs / 1000 / (r.pollSeconds as number)).toFixed(2)} x poll, p95 ${(r.p95Ms / 1000 / (r.pollSeconds as number)).toFixed(2)} x poll`
      : `+${Math.round(r.medianMs - r.floorMs)} ms median, +${Math.round(r.p95Ms - r.floorMs)} ms p95`,
  ]);
  const target = rows.find((r) => r.mode === 'webhooks' && r.clients === 5 && r.latencyMs === 50);
  const verdict = target
    ? `Target p95 < 1000 ms at 50 ms latency with 5 clients: ${target.p95Ms < 1000 ? 'MET' : 'MISSED'} (${ms(target.p95Ms)})`
    : '';
  return `Propagation (change on one client -> last write on main and every other client)\n${table(['mode', 'clients', 'latency', 'trials', 'incomplete', 'median', 'p95', 'floor', 'above floor'], body)}\n${verdict}`;
}

function economy(rows: EconomyRow[]): string {
  const kinds = ['events.list', 'events.insert', 'events.update', 'events.patch', 'events.delete', 'events.get'];
  const body = rows.map((r) => [
    r.change,
    ...kinds.map((k) => r.calls[k] ?? 0),
    r.other - (r.calls['events.get'] ?? 0),
    `${r.minimum.lists} list + ${r.minimum.writes} write`,
    r.lists === r.minimum.lists && r.writes === r.minimum.writes && r.other === 0
      ? 'at minimum'
      : `+${r.lists - r.minimum.lists} list, +${r.writes - r.minimum.writes} write, +${r.other} other`,
  ]);
  return `API economy (calls per change; a consultant with main + 4 clients, webhooks on)\n${table(['change', 'list', 'insert', 'update', 'patch', 'delete', 'get', 'other', 'minimum', 'vs minimum'], body)}`;
}

/** A connect cannot beat the limit: each target takes `events` writes at `limit` a second (targets side by side). */
export function connectFloorSeconds(r: ConnectResult): number {
  return r.events / r.writeLimitPerSecond;
}

function connect(runs: ConnectResult[]): string {
  const first = runs[0];
  const body = runs.map((r) => {
    const floor = connectFloorSeconds(r);
    const seconds = r.durationMs / 1000;
    return [
      `${r.writeLimitPerSecond}/s`,
      `${seconds.toFixed(1)} s`,
      `${floor.toFixed(0)} s`,
      `${(seconds / floor).toFixed(2)} x`,
      `${((r.events * r.targets) / seconds).toFixed(1)}`,
      r.calls['events.insert'] ?? 0,
      r.refused,
      r.copiesOnMain,
      r.blocksPerOtherClient.join(' / '),
    ];
  });
  return (
    `Connecting a calendar with ${first.events} future events (${first.others} other clients + main connected: ${first.targets} target calendars, each limited by the emulator)\n` +
    table(
      [
        'limit per calendar',
        'duration',
        'floor (events / limit)',
        'vs floor',
        'writes/s (all targets)',
        'inserts',
        'refused',
        'copies on main',
        'blocks per other client',
      ],
      body,
    ) +
    `\n  floor: the ${first.targets} targets are written side by side, each at its own limit; events x targets / limit = ${first.events * first.targets} writes / limit if they shared one limit (one account)`
  );
}

function cpuPct(c: CycleFigures): string {
  return `${((c.cpuSeconds / CYCLE_S) * 100).toFixed(2)} %`;
}

/** Quiet-poll CPU per calendar, product (median of the no-change cycles without latency) against the floor. */
export function quietPollVsFloor(
  r: ScaleResult,
): { productMs: number; floorMs: number; fetchFloorMs: number; ratio: number } | null {
  const quiet = r.cycles.filter((c) => c.changedCalendars === 0 && c.latencyMs === 0);
  if (!r.floor || quiet.length === 0) return null;
  const productMs = (median(quiet.map((c) => c.cpuSeconds)) * 1000) / r.calendars;
  return {
    productMs,
    floorMs: r.floor.httpCpuMsPerCalendar,
    fetchFloorMs: r.floor.fetchCpuMsPerCalendar,
    ratio: productMs / r.floor.httpCpuMsPerCalendar,
  };
}

function floorLine(r: ScaleResult): string {
  const f = quietPollVsFloor(r);
  if (!f) return '';
  return `\n${table(
    ['quiet poll, CPU per calendar', 'product', 'floor: bare node:http', 'ratio (target <= 2x)', 'bare fetch (undici)'],
    [
      [
        `${r.calendars} calendars`,
        `${f.productMs.toFixed(2)} ms`,
        `${f.floorMs.toFixed(2)} ms`,
        `${f.ratio.toFixed(2)} x ${f.ratio <= 2 ? 'MET' : 'MISSED'}`,
        `${f.fetchFloorMs.toFixed(2)} ms`,
      ],
    ],
  )}`;
}

function probeLine(r: ScaleResult): string {
  const p = r.probe;
  if (!p) return '';
  return (
    `\n  propagation while a quiet cycle over ${r.calendars} calendars ran (${p.latencyMs} ms per call): ${p.trials} changes, ${p.incomplete} incomplete, ` +
    `median ${ms(p.medianMs)}, p95 ${ms(p.p95Ms)} (floor ${ms(p.floorMs)}); that cycle: ${ms(p.cycleWallMs)} wall, ${p.cycleCpuSeconds.toFixed(1)} CPU s (probing included), ${p.lists} lists`
  );
}

function scale(r: ScaleResult): string {
  const body = r.cycles.map((c) => [
    c.label,
    `${c.latencyMs} ms`,
    ms(c.wallMs),
    c.cpuSeconds.toFixed(2),
    c.emulatorCpuSeconds?.toFixed(2) ?? 'n/a',
    c.peakRssMb,
    c.heapUsedMb,
    c.retainedHeapMb ?? 'n/a',
    c.lists,
    c.writes,
    c.failed,
    cpuPct(c),
  ]);
  const idle = r.cycles.filter((c) => c.changedCalendars === 0);
  const cpuPerUser = median(idle.map((c) => c.cpuSeconds)) / r.users;
  const slowest = idle.filter((c) => c.latencyMs === Math.max(...idle.map((x) => x.latencyMs)));
  const wallPerUser = median(slowest.map((c) => c.wallMs)) / 1000 / r.users;
  const byCpu = Math.floor(CYCLE_S / cpuPerUser);
  const byWall = Math.floor(CYCLE_S / wallPerUser);
  const per1000 = (cpuPerUser * 1000) / (r.calendars / r.users) / CYCLE_S;
  const peak = Math.max(...r.cycles.map((c) => c.peakRssMb));
  return (
    `Scale: poll cycles over ${r.users} users x ${r.calendars / r.users} calendars = ${r.calendars} calendars (seeded in ${(r.seedMs / 1000).toFixed(0)} s)\n` +
    `${table(['cycle', 'latency', 'wall', 'CPU s (product)', 'CPU s (emulator)', 'peak RSS MB', 'heap MB', 'heap after GC', 'lists', 'writes', 'failed', 'CPU of 5 min'], body)}\n` +
    `  process peak RSS (whole life, seeding included): ${r.processMaxRssMb} MB; target < 130 MB (200 users): ${peak < 130 ? 'MET' : 'MISSED'} (cycle peak ${peak} MB)\n` +
    `  CPU per user per no-change cycle: ${(cpuPerUser * 1000).toFixed(1)} ms -> one core holds ${byCpu} users in a 5-minute cycle; ` +
    `wall per user at ${slowest[0]?.latencyMs ?? 0} ms latency: ${(wallPerUser * 1000).toFixed(1)} ms -> ${byWall} users; ceiling here ~${Math.min(byCpu, byWall)} users\n` +
    `  sync_log rows per no-change cycle: ${idle[0]?.syncLogRows ?? 0} (${r.calendars} calendars) -> ${Math.round((((idle[0]?.syncLogRows ?? 0) * 288 * 90) / 1e6) * 10) / 10} million rows kept at a 5-minute poll and 90 days' retention\n` +
    `  1,000 calendars every 5 minutes: ${(per1000 * 100).toFixed(2)} % of one core here (target < 10 %: ${per1000 < 0.1 ? 'MET' : 'MISSED'}); ` +
    `Pi 4 estimate (x${PI4_SLOWDOWN}, see PI4_SLOWDOWN): ${(per1000 * PI4_SLOWDOWN * 100).toFixed(1)} %, ceiling ~${Math.min(Math.floor(byCpu / PI4_SLOWDOWN), byWall)} users` +
    `\n  database + WAL after the run: ${r.databaseMb} MB` +
    floorLine(r) +
    probeLine(r)
  );
}

function memory(r: MemoryResult): string {
  const body = r.samples
    .filter((_, i) => i % Math.max(1, Math.floor(r.samples.length / 12)) === 0 || i === r.samples.length - 1)
    .map((s) => [s.hour, s.rssMb, s.heapUsedMb, s.externalMb]);
  const jobs = Object.entries(r.jobRuns)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const plateau = Math.abs(r.heapSlopeMbPerHour) < 0.1 && r.rssSlopeMbPerHour < 0.25;
  return (
    `Memory over time: ${r.users} users, ${r.calendars} calendars, ${r.simulatedHours} simulated hours in ${r.wallSeconds} s; ${r.changes} changes; jobs: ${jobs}; GC before samples: ${r.gcExposed}\n` +
    `${table(['sim. hour', 'RSS MB', 'heap used MB', 'external MB'], body)}\n` +
    `  slope over the second half: RSS ${r.rssSlopeMbPerHour.toFixed(3)} MB/h, heap ${r.heapSlopeMbPerHour.toFixed(3)} MB/h -> ${plateau ? 'plateau' : 'GROWING'}` +
    ` (a week at this slope: RSS ${(r.rssSlopeMbPerHour * 168).toFixed(1)} MB, heap ${(r.heapSlopeMbPerHour * 168).toFixed(1)} MB)`
  );
}

export function report(name: string, result: unknown): string {
  switch (name) {
    case 'propagation':
      return propagation(result as PropagationRow[]);
    case 'economy':
      return economy(result as EconomyRow[]);
    case 'connect':
      return connect(result as ConnectResult[]);
    case 'scale':
    case 'scale-large':
      return scale(result as ScaleResult);
    case 'memory':
      return memory(result as MemoryResult);
    default:
      return `${name}: ${JSON.stringify(result)}`;
  }
}
