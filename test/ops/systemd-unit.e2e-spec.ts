import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectPath } from '../../src/paths';
import { freePort } from '../support/product';

/** `Key=value` lines of a unit or environment file (comments and sections dropped). */
function settings(text: string): Array<[string, string]> {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('[') && l.includes('='))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]);
}

interface Exit {
  code: number | null;
  stderr: string;
  stoppedInMs?: number;
}

/**
 * What systemd would do with deploy/busybridge.service, minus systemd: run its ExecStart in its
 * WorkingDirectory with only its EnvironmentFile (the example), then stop it with its KillSignal and
 * hold it to TimeoutStopSec. Needs the build (`npm test` builds first).
 */
describe('deploy/busybridge.service', () => {
  let unit: Map<string, string>;
  let tmp: string;
  beforeAll(async () => {
    unit = new Map(settings(await fs.readFile(projectPath('deploy', 'busybridge.service'), 'utf8')));
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-systemd-'));
  });
  afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

  async function run(overrides: Record<string, string>, stopWhenHealthy: boolean): Promise<Exit> {
    const main = projectPath('dist', 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
    const env = Object.fromEntries(
      settings(await fs.readFile(projectPath('deploy', 'busybridge.env.example'), 'utf8')),
    );
    const [node, script] = unit.get('ExecStart')!.split(/\s+/);
    expect(node).toBe('/usr/bin/node');
    expect(script).toBe('/opt/busybridge/dist/src/main.js');
    const child = spawn(process.execPath, [script.replace('/opt/busybridge', projectPath())], {
      cwd: unit.get('WorkingDirectory')!.replace('/opt/busybridge', projectPath()),
      // systemd passes only the EnvironmentFile (plus a minimal PATH).
      env: { PATH: '/usr/bin:/bin', ...env, ...overrides },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    if (!stopWhenHealthy) return { code: await exited, stderr };
    const url = `http://127.0.0.1:${overrides.PORT}/health`;
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`exited early (${child.exitCode}): ${stderr}`);
      if (
        (await fetch(url).then(
          (r) => r.status,
          () => 0,
        )) === 200
      )
        break;
      if (i > 300) throw new Error(`no /health within 30 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const started = Date.now();
    child.kill(unit.get('KillSignal') as NodeJS.Signals);
    const code = await exited;
    return { code, stderr, stoppedInMs: Date.now() - started };
  }

  it('names a dedicated user, the environment file, restart on failure and a stop timeout', () => {
    expect(unit.get('User')).toBe('busybridge');
    expect(unit.get('EnvironmentFile')).toBe('/etc/busybridge/busybridge.env');
    expect(unit.get('Restart')).toBe('on-failure');
    expect(Number(unit.get('TimeoutStopSec'))).toBeGreaterThanOrEqual(10);
    expect(unit.get('StateDirectory')).toContain('busybridge/secrets');
  });

  it('its ExecStart, with the example environment file, serves /health and stops cleanly within TimeoutStopSec', async () => {
    const port = String(await freePort());
    const result = await run(
      {
        PORT: port,
        DATABASE_PATH: path.join(tmp, 'data', 'calendar-sync.db'),
        ENCRYPTION_KEY_FILE: path.join(tmp, 'secrets', 'encryption.key'),
      },
      true,
    );
    expect(result).toMatchObject({ code: 0 });
    expect(result.stoppedInMs!).toBeLessThan(Number(unit.get('TimeoutStopSec')) * 1000);
    await expect(fs.stat(path.join(tmp, 'data', 'calendar-sync.db'))).resolves.toBeTruthy();
  });

  it('a bad setting exits non-zero at once with one line naming the variable (Restart= then gives up)', async () => {
    const result = await run({ PORT: 'eighty', DATABASE_PATH: path.join(tmp, 'bad', 'db.sqlite') }, false);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      'BusyBridge cannot start: Invalid configuration: PORT must be a whole number, got "eighty"',
    );
  });
});
