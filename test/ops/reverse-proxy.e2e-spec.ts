import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectPath } from '../../src/paths';
import { freePort, RunningProduct, startProduct } from '../support/product';
import { request, setCookies } from './support/https-request';
import { RunningNginx, startNginx } from './support/nginx';

/**
 * Debian's nginx, running deploy/nginx-busybridge.conf (the file docs/reverse-proxy.md ships), terminates
 * real TLS on loopback in front of the running product.
 */
describe('behind nginx (deploy/nginx-busybridge.conf)', () => {
  let tmp: string;
  let product: RunningProduct;
  let nginx: RunningNginx;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bb-nginx-'));
    const port = await freePort();
    // PUBLIC_URL deliberately http: then the only way the product can know the browser used https is
    // the X-Forwarded-Proto header nginx sets, which is what this test is about.
    product = await startProduct({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
    nginx = await startNginx(port, tmp);
  });
  afterAll(async () => {
    await nginx?.stop();
    await product?.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('serves /health over TLS', async () => {
    const answer = await request(`${nginx.httpsUrl}/health`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok', database: 'ok' });
    // Set by the product because nginx says https; exactly once (a second copy would come joined by a comma).
    expect(answer.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}(; includeSubDomains)?$/);
  });

  it('serves the setup wizard page', async () => {
    const root = await request(`${nginx.httpsUrl}/`);
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/setup');
    const entry = await request(`${nginx.httpsUrl}/setup`, { headers: { accept: 'text/html' } });
    expect(entry.status).toBe(302);
    expect(entry.headers.location).toMatch(/^\/setup\/step\/1$/);
    const page = await request(`${nginx.httpsUrl}${entry.headers.location}`, {
      headers: { accept: 'text/html', cookie: (setCookies(entry)[0] ?? '').split(';')[0] },
    });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toMatch(/BusyBridge/);
  });

  it('issues Secure cookies because nginx says https; directly, without the header, it does not', async () => {
    const proxied = setCookies(await request(`${nginx.httpsUrl}/api/csrf`)).find((c) => c.startsWith('bb_csrf='));
    expect(proxied).toBeDefined();
    expect(proxied).toMatch(/;\s*Secure/i);
    expect(proxied).toMatch(/;\s*HttpOnly/i);
    const direct = setCookies(await request(`${product.url}/api/csrf`)).find((c) => c.startsWith('bb_csrf='));
    expect(direct).toBeDefined();
    expect(direct).not.toMatch(/;\s*Secure/i);
  });

  it('redirects plain http to https', async () => {
    const answer = await request(`${nginx.httpUrl}/health?x=1`);
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe('https://127.0.0.1/health?x=1');
  });

  it('passes Google push notifications through to the product', async () => {
    // An unknown channel: the product itself must answer (JSON), not nginx (HTML error page).
    const answer = await request(`${nginx.httpsUrl}/api/webhooks/google-calendar`, {
      method: 'POST',
      headers: {
        'x-goog-channel-id': 'unknown',
        'x-goog-resource-state': 'exists',
        'x-goog-resource-id': 'r',
        'content-length': '0',
      },
    });
    expect(answer.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(answer.body)).toEqual(expect.objectContaining({ error: expect.any(String) }));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(await nginx.errorLog()).not.toMatch(/\[(error|crit|alert|emerg)\]/);
  });

  it('docs/reverse-proxy.md shows exactly the shipped nginx and Caddy files', async () => {
    const doc = await fs.readFile(projectPath('docs', 'reverse-proxy.md'), 'utf8');
    const block = (lang: string) => doc.match(new RegExp('```' + lang + '\\n([\\s\\S]*?)```'))?.[1];
    expect(block('nginx')).toBe(await fs.readFile(projectPath('deploy', 'nginx-busybridge.conf'), 'utf8'));
    expect(block('caddyfile')).toBe(await fs.readFile(projectPath('deploy', 'Caddyfile'), 'utf8'));
  });
});
