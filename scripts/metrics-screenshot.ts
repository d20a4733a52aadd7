import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { WebhookService } from '../src/webhooks/webhook.service';
import { freePort } from '../test/support/product';
import { SyncWorld } from '../test/support/sync-world';

/**
 * The screenshot in docs/operations.md, made again with
 * `npm run build && node dist/scripts/metrics-screenshot.js [out.png]`: the product and the Google
 * emulator run a few minutes of changes pushed by webhooks while Debian's Prometheus scrapes /metrics;
 * Chromium then photographs Prometheus's own graph of the propagation p50 and p95.
 */
const MAIN = 'ann@home.example';
const CLIENTS = ['me@clienta.example', 'me@clientb.example', 'me@clientc.example'];
const RUN_MS = Number(process.env.SCREENSHOT_RUN_SECONDS ?? 180) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(q: string): string {
  return `label_replace(histogram_quantile(${q}, sum by (le) (rate(busybridge_propagation_seconds_bucket[1m]))), "quantile", "${q}", "", "")`;
}

async function startPrometheus(
  target: string,
  token: string,
): Promise<{ url: string; proc: ChildProcess; dir: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-prometheus-'));
  const port = await freePort();
  await fs.writeFile(
    path.join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 2s, evaluation_interval: 2s }',
      'scrape_configs:',
      '  - job_name: busybridge',
      `    authorization: { type: Bearer, credentials: "${token}" }`,
      `    static_configs: [{ targets: ["${target}"] }]`,
    ].join('\n'),
  );
  const proc = spawn(
    'prometheus',
    [
      `--config.file=${dir}/prometheus.yml`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  return { url: `http://127.0.0.1:${port}`, proc, dir };
}

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'docs/metrics-propagation.png');
  const token = randomBytes(16).toString('hex');
  const world = await SyncWorld.start(
    {
      domains: ['home.example', 'clienta.example', 'clientb.example', 'clientc.example'],
      accounts: [{ email: MAIN }, ...CLIENTS.map((email) => ({ email }))],
    },
    { METRICS_TOKEN: token, SYNC_POLL_SECONDS: '86400' },
  );
  // Google answers in about 60 ms, as it roughly does from a European server.
  world.fake.control.setLatency(60);
  const user = await world.addUser(MAIN);
  const calendars = [
    await world.connect(user, MAIN, MAIN, 'main'),
    ...(await Promise.all(CLIENTS.map((c) => world.connect(user, c, c, 'client')))),
  ];
  await world.sync.fullResync(user.id);
  for (const cal of calendars) await world.product.app.get(WebhookService).registerFor(cal.id);
  const prometheus = await startPrometheus(new URL(world.product.url).host, token);
  try {
    const started = Date.now();
    for (let i = 0; Date.now() - started < RUN_MS; i++) {
      const account = CLIENTS[i % CLIENTS.length];
      const start = new Date(Date.now() + 86_400_000 + (i % 40) * 3_600_000);
      world.fake.control.createEvent(account, account, {
        summary: `Meeting ${i}`,
        start: { dateTime: start.toISOString() },
        end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString() },
      });
      // A busy consultancy's pace for one person: a change every two to four seconds.
      await sleep(2_000 + Math.random() * 2_000);
    }
    await sleep(5_000);
    const query = new URLSearchParams({
      'g0.expr': `${quantile('0.5')} or ${quantile('0.95')}`,
      'g0.tab': '0',
      'g0.range_input': `${Math.ceil(RUN_MS / 60_000) + 1}m`,
    });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${prometheus.url}/graph?${query}`);
    // The graph is drawn after the query answers; its legend lists the two quantiles.
    await page.getByText('quantile="0.95"').first().waitFor({ timeout: 20_000 });
    await sleep(1_000);
    await page.screenshot({ path: out });
    await browser.close();
    process.stdout.write(`Wrote ${out}\n`);
  } finally {
    prometheus.proc.kill('SIGTERM');
    await world.close();
    await fs.rm(prometheus.dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
