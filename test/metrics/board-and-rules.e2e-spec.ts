import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RunningProduct, startProduct } from '../support/product';
import { parsePromText, seriesNames } from './prom-text';

const ROOT = path.resolve(__dirname, '../..');
const BOARD = path.join(ROOT, 'deploy/grafana/busybridge.json');
const RULES_DIR = path.join(ROOT, 'deploy/prometheus');
const TOKEN = 'board-check-token-0123456789';

interface Panel {
  title: string;
  type: string;
  targets?: Array<{ expr: string }>;
}

/** Every busybridge_* name a query mentions (label values never start with it). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\bbusybridge_[a-zA-Z0-9_]+/g)].map((m) => m[0]);
}

/** promtool comes with Debian's `prometheus` package; without it this check must fail, not pass unseen. */
function promtool(...args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: RULES_DIR, encoding: 'utf8' });
  } catch (error) {
    const e = error as { code?: string; stdout?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error('promtool is not installed: apt-get install prometheus', { cause: error });
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`, { cause: error });
  }
}

describe('the Grafana board and the Prometheus alert rules', () => {
  let product: RunningProduct;
  let exported: Set<string>;

  beforeAll(async () => {
    product = await startProduct({ METRICS_TOKEN: TOKEN });
    const res = await fetch(`${product.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    exported = seriesNames(parsePromText(await res.text()).families);
  });
  afterAll(async () => {
    await product?.close();
  });

  it('pass promtool: the rules are valid and each alert fires on the trouble it names', () => {
    expect(promtool('check', 'rules', 'alerts.yml')).toMatch(/SUCCESS: \d+ rules found/);
    expect(promtool('test', 'rules', 'alerts.test.yml')).toContain('SUCCESS');
  });

  it('name only metrics the product exports', async () => {
    const board = JSON.parse(await fs.readFile(BOARD, 'utf8')) as { panels: Panel[] };
    const queries = board.panels.flatMap((p) =>
      (p.targets ?? []).map((t) => ({ where: `board "${p.title}"`, expr: t.expr })),
    );
    const rules = await fs.readFile(path.join(RULES_DIR, 'alerts.yml'), 'utf8');
    const ruleTests = await fs.readFile(path.join(RULES_DIR, 'alerts.test.yml'), 'utf8');
    queries.push({ where: 'alerts.yml', expr: rules }, { where: 'alerts.test.yml', expr: ruleTests });
    const unknown = queries.flatMap((q) =>
      metricNames(q.expr)
        .filter((n) => !exported.has(n))
        .map((n) => `${q.where}: ${n}`),
    );
    expect(unknown).toEqual([]);
    expect(queries.filter((q) => q.where.startsWith('board')).length).toBeGreaterThan(20);
  });

  it('docs/operations.md explains every metric the product adds, and none it does not export', async () => {
    const docs = await fs.readFile(path.join(ROOT, 'docs/operations.md'), 'utf8');
    const own = [...exported].filter(
      (n) => !/^busybridge_(process|nodejs)_/.test(n) && !/_(bucket|sum|count)$/.test(n),
    );
    expect(own.filter((n) => !docs.includes(`| \`${n}\` |`))).toEqual([]);
    expect(metricNames(docs).filter((n) => !n.endsWith('_') && !exported.has(n))).toEqual([]); // `busybridge_process_*` is a family prefix
  });

  it('the board shows what an operator asks first', async () => {
    const text = await fs.readFile(BOARD, 'utf8');
    for (const needed of [
      'busybridge_propagation_seconds_bucket',
      'busybridge_sync_runs_total',
      'busybridge_google_calls_total',
      'busybridge_google_throttled_total',
      'busybridge_connections',
      'busybridge_push_channel_soonest_expiry_timestamp_seconds',
    ]) {
      expect(text).toContain(needed);
    }
    expect(text).toContain('histogram_quantile(0.95');
    expect(text).toContain('histogram_quantile(0.5');
  });
});
