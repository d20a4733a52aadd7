import { docker, REPO, run } from './docker';

/** Programs a runtime image has no use for: a compiler, package managers, a downloader. */
const TOOLS = ['curl', 'wget', 'gcc', 'g++', 'cc', 'make', 'python3', 'npm', 'npx', 'yarn', 'corepack'];
/**
 * Packages only the build or the tests use, and the mailer's template engines BusyBridge never loads. An empty
 * scope directory left by `npm prune` holds no code and does not count; `@types/*` are declared dependencies of
 * production packages (class-validator) and hold nothing but package.json once the image drops declarations.
 */
const DEV_PACKAGES = [
  'typescript',
  '@babel',
  '@swc',
  'jest',
  'node',
  'node-gyp',
  'playwright-core',
  'smtp-server',
  'fast-check',
  'ejs',
  'pug',
  'mjml',
  'nunjucks',
  'liquidjs',
  'preview-email',
];

export interface ImageFacts {
  tools: string[];
  devPackages: string[];
  notRootOwned: string[];
  writableByUser: string[];
  caFound: string[];
  user: string;
  healthcheck: string;
  sqlite3Cli: boolean;
}

async function shell(tag: string, script: string): Promise<string[]> {
  const res = await run('docker', ['run', '--rm', '--network', 'none', '--entrypoint', 'sh', tag, '-c', script]);
  if (res.code !== 0) throw new Error(`sh -c ${script} in ${tag} failed: ${res.stderr}`);
  return res.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** One base64 line from the middle of each PEM certificate: what a copy of it anywhere would contain. */
function certificateLines(pems: string): string[] {
  return (pems.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [])
    .map((pem) =>
      pem
        .split('\n')
        .filter((l) => /^[A-Za-z0-9+/]{64}$/.test(l.trim()))[2]
        ?.trim(),
    )
    .filter((line): line is string => Boolean(line));
}

/** What is inside the image, looked at from a shell in it as its own user (uid 1000). */
export async function inspectImage(tag: string, buildCa: string): Promise<ImageFacts> {
  const tools = await shell(tag, `for t in ${TOOLS.join(' ')}; do command -v "$t" || true; done`);
  const devPackages = await shell(
    tag,
    `cd /app/node_modules && for p in ${DEV_PACKAGES.join(' ')}; do [ -n "$(ls -A "$p" 2>/dev/null)" ] && echo "$p"; done; true`,
  );
  const notRootOwned = await shell(tag, 'find /app ! -user 0 | head -5');
  const writableByUser = await shell(tag, 'find /app -writable | head -5');
  const sqlite3Cli = (await shell(tag, 'command -v sqlite3 || true')).length === 1;
  const lines = certificateLines(buildCa);
  const caFound: string[] = [];
  if (lines.length > 0) {
    const patterns = lines.map((l) => `-e '${l}'`).join(' ');
    caFound.push(
      ...(await shell(tag, `grep -rlsF ${patterns} / --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev || true`)),
    );
    if ((await docker('history', '--no-trunc', tag)).includes('BEGIN CERTIFICATE')) caFound.push('docker history');
  }
  const user = await docker('image', 'inspect', '--format', '{{.Config.User}}', tag);
  const healthcheck = await docker('image', 'inspect', '--format', '{{json .Config.Healthcheck.Test}}', tag);
  return { tools, devPackages, notRootOwned, writableByUser, caFound, user, healthcheck, sqlite3Cli };
}

export interface ComposeFacts {
  /** Published ports as host_ip:published:target (host_ip empty when on every interface). */
  ports: string[];
  trustProxy: string;
  subnet: string;
  readOnly: boolean;
}

/**
 * `docker-compose config` (Debian's docker-compose, or the compose plugin): the file is valid, and its
 * normalised form says where ports are published, what TRUST_PROXY is and which subnet the network has.
 */
export async function checkCompose(): Promise<ComposeFacts> {
  const env = { ...process.env, FQDN: 'calendar-sync.example.com' };
  let res = await run('docker-compose', ['-f', `${REPO}/docker-compose.yml`, 'config'], { env });
  if (res.code !== 0 && /ENOENT/.test(res.stderr + res.stdout))
    res = await run('docker', ['compose', '-f', `${REPO}/docker-compose.yml`, 'config'], { env });
  if (res.code !== 0) throw new Error(`docker-compose config failed: ${res.stderr}`);
  const out = res.stdout;
  return {
    ports: publishedPorts(out),
    trustProxy: /TRUST_PROXY[:=]\s*"?([^\s"]+)/.exec(out)?.[1] ?? '',
    subnet: /subnet:\s*"?([^\s"]+)/.exec(out)?.[1] ?? '',
    readOnly: /read_only:\s*true/.test(out),
  };
}

/** The ports block, in either the short (`- 127.0.0.1:3000:3000/tcp`) or the long (`host_ip:`) syntax. */
function publishedPorts(config: string): string[] {
  const lines = config.split('\n');
  const start = lines.findIndex((l) => /^\s*ports:\s*$/.test(l));
  if (start < 0) return [];
  const indent = lines[start].search(/\S/);
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() && line.search(/\S/) <= indent && !line.trim().startsWith('-')) break;
    block.push(line.trim());
  }
  const ports: string[] = [];
  for (const item of block
    .join('\n')
    .split(/^- /m)
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!/^[a-z_]+:(\s|$)/m.test(item)) {
      const parts = item
        .replace(/\/\w+$/, '')
        .replace(/"/g, '')
        .split(':');
      ports.push(parts.length === 3 ? parts.join(':') : `:${parts.join(':')}`);
      continue;
    }
    const field = (name: string) => new RegExp(`${name}:\\s*"?([^\\s"]+)`).exec(item)?.[1] ?? '';
    ports.push(`${field('host_ip')}:${field('published')}:${field('target')}`);
  }
  return ports;
}
