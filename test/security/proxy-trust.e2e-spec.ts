import { randomInt } from 'node:crypto';
import { THROTTLE_LIMITS, AUTH_THROTTLER } from '../../src/http/throttling.module';
import { RunningProduct, startProduct } from '../support/product';

/**
 * X-Forwarded-For/-Proto are believed only from TRUST_PROXY (default loopback). A client that may not send
 * them cannot pick its own address to dodge the per-IP rate limit, nor claim https.
 */
const randomIp = () => `${randomInt(1, 223)}.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 254)}`;
const AUTH_LIMIT = THROTTLE_LIMITS[AUTH_THROTTLER].limit;

async function hit(product: RunningProduct, headers: Record<string, string>): Promise<Response> {
  const res = await fetch(`${product.url}/auth/login`, { headers, redirect: 'manual' });
  await res.arrayBuffer();
  return res;
}

describe('trusted proxy', () => {
  let product: RunningProduct | undefined;
  afterEach(async () => {
    await product?.close();
    product = undefined;
  });

  it('an untrusted client spoofing X-Forwarded-For is still limited by its socket address', async () => {
    // The test client connects from 127.0.0.1, which this instance does not trust as a proxy.
    product = await startProduct({ TRUST_PROXY: '10.255.255.1' });
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_LIMIT + 5; i++)
      statuses.push((await hit(product, { 'x-forwarded-for': randomIp() })).status);
    expect(statuses.slice(0, AUTH_LIMIT).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(AUTH_LIMIT)).toEqual([429, 429, 429, 429, 429]);
  });

  it('an untrusted client claiming X-Forwarded-Proto: https gets neither Secure cookies nor HSTS', async () => {
    product = await startProduct({ TRUST_PROXY: 'none' });
    const res = await fetch(`${product.url}/api/csrf`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.headers.get('strict-transport-security')).toBeNull();
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('bb_csrf='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it('behind the trusted proxy each client has its own bucket and https is believed', async () => {
    product = await startProduct();
    expect(product.config.trustProxy).toBe('loopback');
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_LIMIT; i++)
      statuses.push((await hit(product, { 'x-forwarded-for': '203.0.113.7' })).status);
    for (let i = 0; i < AUTH_LIMIT; i++)
      statuses.push((await hit(product, { 'x-forwarded-for': '203.0.113.8' })).status);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    // The same client past its limit is refused, however the others fare.
    expect((await hit(product, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(429);
    const res = await fetch(`${product.url}/api/csrf`, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
    });
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers.getSetCookie().find((c) => c.startsWith('bb_csrf='))).toMatch(/;\s*Secure/i);
  });

  it('an https PUBLIC_URL makes cookies Secure and sends HSTS whatever the proxy says', async () => {
    product = await startProduct({ TRUST_PROXY: 'none', PUBLIC_URL: 'https://calendar-sync.example.com' });
    const res = await fetch(`${product.url}/api/csrf`);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    // https: the __Host- prefix, so no sibling subdomain can set or shadow it.
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-bb_csrf='))!;
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/HttpOnly/i);
  });
});
