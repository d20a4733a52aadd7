import { createHash, randomBytes } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { FakeMicrosoft, SeedData, startFakeMicrosoft } from './index';

export const CLIENT_ID = '11111111-2222-4333-a444-555555555555';
export const CLIENT_SECRET = 'test~secret';
export const PUBLIC_CLIENT_ID = '66666666-7777-4888-a999-000000000000';
export const REDIRECT_URI = 'http://127.0.0.1:9999/auth/microsoft/callback';
export const SCOPES = 'openid profile email offline_access User.Read Calendars.ReadWrite';

/** Two work tenants (one whose admins allow only verified publishers), a public and a confidential app, five people. */
export const BASE_SEED: SeedData = {
  tenants: [
    { domain: 'contoso.example', name: 'Contoso' },
    { domain: 'fabrikam.example', name: 'Fabrikam', userConsent: 'verifiedPublishers' },
  ],
  apps: [
    { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI], name: 'BusyBridge test' },
    { clientId: PUBLIC_CLIENT_ID, redirectUris: [REDIRECT_URI], name: 'BusyBridge public' },
  ],
  users: [
    { userPrincipalName: 'ann@contoso.example', displayName: 'Ann Contoso' },
    { userPrincipalName: 'ben@contoso.example', displayName: 'Ben Contoso', calendars: ['Team', 'Shared Board'] },
    { userPrincipalName: 'cat@contoso.example', displayName: 'Cat Contoso', mail: null },
    { userPrincipalName: 'dan@fabrikam.example', displayName: 'Dan Fabrikam' },
    { userPrincipalName: 'eve@outlook.example', displayName: 'Eve Personal', personal: true },
  ],
  shares: [
    { owner: 'ben@contoso.example', calendar: 'Team', with: 'ann@contoso.example', role: 'read' },
    { owner: 'ben@contoso.example', calendar: 'Shared Board', with: 'ann@contoso.example', role: 'write' },
  ],
};

export async function startSeeded(extra?: SeedData): Promise<FakeMicrosoft> {
  const fake = await startFakeMicrosoft();
  fake.control.seed(BASE_SEED);
  if (extra) fake.control.seed(extra);
  return fake;
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** One HTTP call, JSON in and out (an empty body reads as {}). */
export async function call<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/** A Graph client bound to one access token: `g('GET', '/me/calendars')`. */
export function graphFor(fake: FakeMicrosoft, token: string) {
  return <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => call<T>(path.startsWith('http') ? path : `${fake.url}/v1.0${path}`, { method, token, body, headers });
}

export function tokenFor(fake: FakeMicrosoft, upn: string, scopes?: string): string {
  return fake.control.mintAccessToken(upn, CLIENT_ID, scopes);
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeOptions {
  tenant?: string;
  clientId?: string;
  scope?: string;
  challenge?: string;
  nonce?: string;
  state?: string;
}

/** Follows /authorize like a browser with login_hint; answers the redirect's query parameters. */
export async function authorize(fake: FakeMicrosoft, upn: string, o: AuthorizeOptions = {}): Promise<URLSearchParams> {
  const q = new URLSearchParams({
    client_id: o.clientId ?? CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    response_mode: 'query',
    scope: o.scope ?? SCOPES,
    state: o.state ?? 'st-1',
    login_hint: upn,
  });
  if (o.challenge) {
    q.set('code_challenge', o.challenge);
    q.set('code_challenge_method', 'S256');
  }
  if (o.nonce) q.set('nonce', o.nonce);
  const res = await fetch(`${fake.url}/${o.tenant ?? 'common'}/oauth2/v2.0/authorize?${q}`, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get('location')!).searchParams;
}

export async function tokenRequest(
  fake: FakeMicrosoft,
  form: Record<string, string>,
  tenant = 'common',
): Promise<Answer> {
  const res = await fetch(`${fake.url}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** The confidential client's full sign-in: authorize, then redeem the code. */
export async function signIn(
  fake: FakeMicrosoft,
  upn: string,
  o: AuthorizeOptions = {},
): Promise<Record<string, string>> {
  const code = (await authorize(fake, upn, o)).get('code');
  if (!code) throw new Error('no code');
  const res = await tokenRequest(
    fake,
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
    },
    o.tenant,
  );
  if (res.status !== 200) throw new Error(`token answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as Record<string, string>;
}

/** Graph's local-time literal for an instant: `2030-01-07T09:00:00` in UTC. */
export function utc(iso: string): { dateTime: string; timeZone: string } {
  return { dateTime: iso.replace(/Z$/, ''), timeZone: 'UTC' };
}

export function timed(
  startIso: string,
  minutes = 60,
): { start: { dateTime: string; timeZone: string }; end: { dateTime: string; timeZone: string } } {
  const end = new Date(Date.parse(`${startIso}Z`) + minutes * 60_000).toISOString().slice(0, 19);
  return { start: utc(startIso), end: utc(end) };
}

export interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type ValidationMode = 'echo' | 'encoded' | 'json' | 'silent';

/** A webhook receiver that answers Graph's validation handshake the way `mode` says and records every POST. */
export async function startReceiver(mode: ValidationMode = 'echo', status = 202, answerAfterMs = 0) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
      if (token !== null) {
        if (mode === 'silent') return; // never answers: the emulator's validation timeout decides
        if (mode === 'json')
          return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(token));
        const text = mode === 'encoded' ? encodeURIComponent(token) : token;
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end(text);
      }
      received.push({ url: req.url ?? '', headers: req.headers, body });
      const answer = () => void (res.writableEnded || res.destroyed || res.writeHead(status).end());
      if (answerAfterMs) setTimeout(answer, answerAfterMs);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    notifications: () =>
      received.flatMap((r) => (JSON.parse(r.body) as { value: Array<Record<string, unknown>> }).value),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
    waitFor: async (n: number, ms = 3000) => {
      const deadline = Date.now() + ms;
      while (received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    },
  };
}

export type Page = { value: Array<Record<string, unknown>>; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

/** Follows nextLinks to the deltaLink (or the last page), keeping every row in order. */
export async function followPages(
  get: (url: string) => Promise<Answer<Page>>,
  first: string,
): Promise<{ rows: Array<Record<string, unknown>>; pages: number; deltaLink?: string }> {
  const rows: Array<Record<string, unknown>> = [];
  let url: string | undefined = first;
  let pages = 0;
  let deltaLink: string | undefined;
  while (url) {
    const res = await get(url);
    if (res.status !== 200) throw new Error(`page answered ${res.status}: ${JSON.stringify(res.body)}`);
    pages++;
    rows.push(...res.body.value);
    deltaLink = res.body['@odata.deltaLink'];
    url = res.body['@odata.nextLink'];
  }
  return { rows, pages, deltaLink };
}
