import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { promises as fs, readdirSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase } from '../../src/database/open-database';
import { projectPath } from '../../src/paths';
import { freePort } from '../support/product';

const MAIN = projectPath('dist', 'src', 'main.js');

/** The built product must be at least as new as the sources it is built from. */
function ensureBuilt(): void {
  const mtime = (file: string): number => {
    try {
      return statSync(file).mtimeMs;
    } catch {
      return 0; // vanished meanwhile (another build): ignore
    }
  };
  const newest = (dir: string): number => {
    let max = 0;
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      max = Math.max(max, mtime(full) && statSync(full).isDirectory() ? newest(full) : mtime(full));
    }
    return max;
  };
  if (mtime(MAIN) < Math.max(newest(projectPath('src')), newest(projectPath('migrations')))) {
    try {
      execFileSync('npm', ['run', 'build'], { cwd: projectPath(), stdio: 'pipe', timeout: 180_000 });
    } catch (error) {
      const e = error as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`npm run build failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`, {
        cause: error,
      });
    }
  }
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  afterMs: number;
}

describe('graceful shutdown of the built product', () => {
  let dir: string;
  let child: ChildProcess | null = null;
  beforeAll(() => ensureBuilt(), 200_000);
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-sigterm-'));
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('SIGTERM under load: stops taking work, closes the database, exits 0 within 10 s', async () => {
    const port = await freePort();
    const dbPath = path.join(dir, 'data', 'calendar-sync.db');
    let stdout = '';
    child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: dbPath,
        ENCRYPTION_KEY_FILE: path.join(dir, 'secrets', 'encryption.key'),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        SYNC_POLL_SECONDS: '1',
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<Exit>((resolve) => {
      child!.once('exit', (code, signal) => resolve({ code, signal, afterMs: Date.now() - signalledAt }));
    });
    let signalledAt = 0;

    const until = Date.now() + 30_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (child.exitCode !== null || Date.now() > until) throw new Error(`product did not start:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Keep requests in flight while the signal arrives; the job ticks run every second meanwhile.
    let load = true;
    const answers: Array<{ status: number; sentAt: number }> = [];
    const hammer = (async () => {
      while (load) {
        const sentAt = Date.now();
        const status = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.status,
          () => 0,
        );
        answers.push({ status, sentAt });
      }
    })();
    await new Promise((r) => setTimeout(r, 1500));
    signalledAt = Date.now();
    child.kill('SIGTERM');
    const exit = await exited;
    load = false;
    await hammer;

    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.afterMs).toBeLessThan(10_000);
    expect(stdout).toContain('Received SIGTERM, shutting down');
    expect(stdout).toContain('Scheduled jobs registered');
    // Before the signal every answer was a success; while closing, Fastify answers 503 on kept-alive
    // connections (return503OnClosing) or refuses them (0). Never a 500.
    const before = answers.filter((a) => a.sentAt < signalledAt);
    expect(before.length).toBeGreaterThan(0);
    expect(before.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.filter((a) => ![200, 503, 0].includes(a.status))).toEqual([]);
    // The last connection closed cleanly: SQLite checkpointed and removed the WAL.
    await expect(fs.stat(`${dbPath}-wal`)).rejects.toMatchObject({ code: 'ENOENT' });
    const ds = await openDatabase(dbPath);
    try {
      expect(await ds.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect((await ds.query('SELECT COUNT(*) AS n FROM migrations'))[0].n).toBeGreaterThan(0);
      expect(await ds.query('SELECT job_name FROM job_locks WHERE locked_by IS NOT NULL')).toEqual([]);
    } finally {
      await ds.destroy();
    }
  }, 60_000);
});
