import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { createWriteStream, existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root: the Dockerfile's build context. */
export const REPO = path.join(__dirname, '..', '..');
export const ARTIFACTS = path.join(REPO, 'test-artifacts', 'container');

export type Arch = 'amd64' | 'arm64';
export const HOST_ARCH: Arch = process.arch === 'arm64' ? 'arm64' : 'amd64';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; never rejects (callers look at `code`). */
export function run(
  cmd: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** `docker ...`, failing with its stderr when it fails. */
export async function docker(...args: string[]): Promise<string> {
  const res = await run('docker', args);
  if (res.code !== 0) throw new Error(`docker ${args.join(' ')} failed (${res.code}): ${res.stderr.trim()}`);
  return res.stdout.trim();
}

/** Runs a long command with its output in a log file (a build prints thousands of lines). */
export function runLogged(
  cmd: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile);
    const child = spawn(cmd, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('error', reject);
    child.once('close', (code) => log.end(() => resolve(code ?? 1)));
  });
}

export async function tail(file: string, lines = 40): Promise<string> {
  return (await fs.readFile(file, 'utf8').catch(() => '')).split('\n').slice(-lines).join('\n');
}

async function dockerAnswers(): Promise<boolean> {
  return (await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 10_000 })).code === 0;
}

/**
 * A Docker daemon for the test: the running one, or Debian's dockerd started here without the bridge and
 * iptables (builds and containers use the host's network). Returns how to stop what was started.
 */
export async function ensureDockerd(): Promise<() => Promise<void>> {
  if (await dockerAnswers()) return async () => undefined;
  await fs.mkdir(ARTIFACTS, { recursive: true });
  const log = createWriteStream(path.join(ARTIFACTS, 'dockerd.log'));
  // Niced: builds and containers are its grandchildren and inherit it (a niced `docker build` client would not
  // pass it on), and the machine is shared.
  const daemon: ChildProcess = spawn(
    'nice',
    ['-n', '10', 'dockerd', '--iptables=false', '--ip-masq=false', '--bridge=none'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  daemon.stdout?.pipe(log);
  daemon.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  for (let i = 0; i < 120 && daemon.exitCode === null; i++) {
    if (await dockerAnswers()) {
      return async () => {
        daemon.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  daemon.kill('SIGKILL');
  throw new Error(`dockerd did not start: ${await tail(path.join(ARTIFACTS, 'dockerd.log'))}`);
}

export const baseImage = (arch: Arch): string => `busybridge-base:node24-slim-${arch}`;

/** The local stand-in for node:24-slim (scripts/container/make-base-image.sh), made once per machine. */
export async function ensureBaseImage(arch: Arch): Promise<void> {
  if ((await run('docker', ['image', 'inspect', baseImage(arch)])).code === 0) {
    if (arch === HOST_ARCH && (await run('docker', ['image', 'inspect', 'node:24-slim'])).code !== 0)
      await docker('tag', baseImage(arch), 'node:24-slim');
    return;
  }
  const logFile = path.join(ARTIFACTS, `base-${arch}.log`);
  const code = await runLogged('nice', ['-n', '10', 'scripts/container/make-base-image.sh', arch], logFile);
  if (code !== 0) throw new Error(`make-base-image.sh ${arch} failed:\n${await tail(logFile)}`);
}

/**
 * The extra certificate authorities this machine's Node trusts (NODE_EXTRA_CA_CERTS), for the build
 * stage's npm: a network that inspects TLS. When that file is a whole system bundle, only the
 * certificates Debian's Mozilla set lacks (the locally added ones) are passed. '' when there are none.
 */
export function extraCaCertificates(env: NodeJS.ProcessEnv = process.env): string {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file || !existsSync(file)) return '';
  const pems = readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const mozilla = '/usr/share/ca-certificates/mozilla';
  const known = new Set<string>();
  if (existsSync(mozilla)) {
    for (const name of readdirSync(mozilla)) known.add(fingerprint(readFileSync(path.join(mozilla, name), 'utf8')));
  }
  return pems.filter((pem) => !known.has(fingerprint(pem))).join('\n');
}

function fingerprint(pem: string): string {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return createHash('sha256').update(pem).digest('hex');
  }
}

export interface Build {
  tag: string;
  seconds: number;
  logFile: string;
}

/**
 * `docker build` of the repository's Dockerfile as a user would run it (classic builder, host network),
 * for `arch` on this machine's local stand-in base image.
 */
export async function buildImage(arch: Arch, tag: string): Promise<Build> {
  await fs.mkdir(ARTIFACTS, { recursive: true });
  const logFile = path.join(ARTIFACTS, `build-${arch}.log`);
  const ca = extraCaCertificates();
  // This machine's own architecture builds FROM node:24-slim exactly as the Dockerfile says; a foreign
  // one names its stand-in, since one local tag cannot hold two architectures.
  const args = [
    'build',
    '--network',
    'host',
    ...(arch === HOST_ARCH ? [] : ['--build-arg', `NODE_IMAGE=${baseImage(arch)}`]),
    ...(ca ? ['--build-arg', `EXTRA_CA_CERTS=${ca}`] : []),
    '-t',
    tag,
    '.',
  ];
  const started = Date.now();
  const code = await runLogged('docker', args, logFile, { ...process.env, DOCKER_BUILDKIT: '0' });
  if (code !== 0) throw new Error(`docker build for ${arch} failed:\n${await tail(logFile)}`);
  if (arch !== HOST_ARCH) await labelArchitecture(tag, arch);
  return { tag, seconds: Math.round((Date.now() - started) / 1000), logFile };
}

/**
 * The classic builder of Docker 20.10 labels every image it commits with the daemon's architecture, and
 * with --platform refuses a foreign base outright; BuildKit with --platform insists on a registry. So a
 * foreign build runs without --platform (qemu runs its steps all the same) and its label is corrected
 * here: the image's config rewritten through `docker save` and `docker load`, layers untouched.
 */
async function labelArchitecture(tag: string, arch: Arch): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-image-'));
  try {
    const tree = path.join(dir, 'image');
    await fs.mkdir(tree);
    await docker('save', '-o', path.join(dir, 'in.tar'), tag);
    const untar = await run('tar', ['-xf', path.join(dir, 'in.tar'), '-C', tree]);
    if (untar.code !== 0) throw new Error(untar.stderr);
    const [manifest] = JSON.parse(await fs.readFile(path.join(tree, 'manifest.json'), 'utf8')) as Array<{
      Config: string;
    }>;
    const configFile = path.join(tree, manifest.Config);
    const config = JSON.parse(await fs.readFile(configFile, 'utf8')) as Record<string, unknown>;
    Object.assign(config, { architecture: arch }, arch === 'arm64' ? { variant: 'v8' } : {});
    await fs.writeFile(configFile, JSON.stringify(config));
    const retar = await run('tar', ['-cf', path.join(dir, 'out.tar'), '-C', tree, '.']);
    if (retar.code !== 0) throw new Error(retar.stderr);
    await docker('load', '-i', path.join(dir, 'out.tar'));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export async function imageSizeMb(tag: string): Promise<number> {
  return Math.round(Number(await docker('image', 'inspect', '--format', '{{.Size}}', tag)) / 1e5) / 10;
}

/** A fresh directory for a container's /data and /secrets bind mounts, owned by the image's uid 1000. */
export async function volumeDirs(): Promise<{ root: string; data: string; secrets: string }> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-container-'));
  const data = path.join(root, 'data');
  const secrets = path.join(root, 'secrets');
  for (const dir of [data, secrets]) {
    await fs.mkdir(dir, { mode: 0o700 });
    await fs.chown(dir, 1000, 1000);
  }
  return { root, data, secrets };
}

/** Waits for `check` to return a value (not undefined), polling; throws `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
