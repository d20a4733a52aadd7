import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { projectPath } from '../../../src/paths';
import { freePort } from '../../support/product';

export const FIXTURE_CERT = path.join(__dirname, '..', 'fixtures', 'loopback-tls.crt');
const FIXTURE_KEY = path.join(__dirname, '..', 'fixtures', 'loopback-tls.key');

export interface RunningNginx {
  httpsUrl: string;
  httpUrl: string;
  errorLog(): Promise<string>;
  stop(): Promise<void>;
}

export function findNginx(): string {
  const candidates = [process.env.NGINX_BIN, '/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'].filter(
    Boolean,
  ) as string[];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new Error(
      "nginx is not installed: this test runs Debian's nginx in front of the product. " +
        'Install it (apt-get install nginx; .ci/run does) or point NGINX_BIN at the binary.',
    );
  }
  return found;
}

/**
 * deploy/nginx-busybridge.conf as shipped, with only addresses and paths swapped for loopback ones. A
 * replacement that no longer matches means the shipped file changed shape: fail rather than test
 * something else.
 */
export async function siteConfig(
  ports: { http: number; https: number; upstream: number },
  tmp: string,
): Promise<string> {
  let text = await fs.readFile(projectPath('deploy', 'nginx-busybridge.conf'), 'utf8');
  const swaps: Array<[string, string]> = [
    ['listen [::]:80;', ''],
    ['listen [::]:443 ssl http2;', ''],
    ['listen 80;', `listen 127.0.0.1:${ports.http};`],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`],
    ['/etc/letsencrypt/live/calendar-sync.example.com/fullchain.pem', FIXTURE_CERT],
    ['/etc/letsencrypt/live/calendar-sync.example.com/privkey.pem', FIXTURE_KEY],
    ['server_name calendar-sync.example.com;', 'server_name localhost;'],
    ['/var/www/letsencrypt', path.join(tmp, 'acme')],
    ['http://127.0.0.1:3000', `http://127.0.0.1:${ports.upstream}`],
  ];
  for (const [from, to] of swaps) {
    if (!text.includes(from)) throw new Error(`deploy/nginx-busybridge.conf no longer contains "${from}"`);
    text = text.split(from).join(to);
  }
  return text;
}

export async function startNginx(upstreamPort: number, tmp: string): Promise<RunningNginx> {
  const bin = findNginx();
  const ports = { http: await freePort(), https: await freePort(), upstream: upstreamPort };
  for (const dir of ['acme', 'temp']) await fs.mkdir(path.join(tmp, dir), { recursive: true });
  await fs.writeFile(path.join(tmp, 'busybridge.conf'), await siteConfig(ports, tmp));
  const temp = (name: string) => path.join(tmp, 'temp', name);
  await fs.writeFile(
    path.join(tmp, 'nginx.conf'),
    [
      // As root (a CI container) workers would drop to nobody and lose access to the temp dir.
      process.getuid?.() === 0 ? 'user root;' : '',
      'worker_processes 1;',
      `error_log ${path.join(tmp, 'error.log')} info;`,
      'events { worker_connections 64; }',
      'http {',
      `  access_log ${path.join(tmp, 'access.log')};`,
      `  client_body_temp_path ${temp('body')}; proxy_temp_path ${temp('proxy')}; fastcgi_temp_path ${temp('fastcgi')};`,
      `  uwsgi_temp_path ${temp('uwsgi')}; scgi_temp_path ${temp('scgi')};`,
      `  include ${path.join(tmp, 'busybridge.conf')};`,
      '}',
    ].join('\n'),
  );
  const errorLog = () => fs.readFile(path.join(tmp, 'error.log'), 'utf8').catch(() => '');
  const child = spawn(
    bin,
    [
      '-e',
      path.join(tmp, 'error.log'),
      '-c',
      path.join(tmp, 'nginx.conf'),
      '-p',
      tmp,
      '-g',
      `daemon off; pid ${path.join(tmp, 'nginx.pid')};`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitForPort(ports.https, child, async () => `${stderr}\n${await errorLog()}`);
  return {
    httpsUrl: `https://127.0.0.1:${ports.https}`,
    httpUrl: `http://127.0.0.1:${ports.http}`,
    errorLog,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT'); // graceful: finish requests, then exit
      await exited;
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, diagnostics: () => Promise<string>): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with code ${child.exitCode}:\n${await diagnostics()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`nginx did not listen on ${port} within 5 s:\n${await diagnostics()}`);
}
