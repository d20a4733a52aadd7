import { calendar, calendar_v3 } from '@googleapis/calendar';
import { OAuth2Client } from 'google-auth-library';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { FakeGoogle, SeedData, startFakeGoogle } from './index';

export const CLIENT_ID = 'test-client.apps.googleusercontent.com';
export const CLIENT_SECRET = 'test-secret';
export const REDIRECT_URI = 'http://127.0.0.1:9999/auth/callback';
export const SCOPE_CALENDAR = 'https://www.googleapis.com/auth/calendar';
export const SCOPE_EVENTS_READONLY = 'https://www.googleapis.com/auth/calendar.events.readonly';
export const ALL_SCOPES = `openid email profile ${SCOPE_CALENDAR}`;

/** Small world most suites share: one client, a home domain, a client organisation and a personal account. */
export const BASE_SEED: SeedData = {
  domains: ['home.example', 'client.example'],
  clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }],
  accounts: [
    { email: 'ann@home.example', name: 'Ann Home' },
    { email: 'ben@home.example', name: 'Ben Home' },
    { email: 'cat@client.example', name: 'Cat Client', timeZone: 'Europe/Berlin' },
    { email: 'dan@client.example', name: 'Dan Client' },
    { email: 'eve@gmail.example', name: 'Eve Personal', hd: null },
  ],
  calendars: [
    {
      id: 'team@group.client.example',
      summary: 'Client team',
      owner: 'cat@client.example',
      acl: { 'ann@home.example': 'reader', 'dan@client.example': 'writer' },
    },
  ],
};

export async function startSeeded(extra?: SeedData): Promise<FakeGoogle> {
  const fake = await startFakeGoogle();
  fake.control.seed(BASE_SEED);
  if (extra) fake.control.seed(extra);
  return fake;
}

export function oauthClient(fake: FakeGoogle, secret = CLIENT_SECRET): OAuth2Client {
  const base = fake.url;
  return new OAuth2Client({
    clientId: CLIENT_ID,
    clientSecret: secret,
    redirectUri: REDIRECT_URI,
    // Under jest, gaxios' fallback `import('node-fetch')` fails (no --experimental-vm-modules); Node's fetch works.
    transporterOptions: { fetchImplementation: fetch },
    endpoints: {
      oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${base}/token`,
      oauth2RevokeUrl: `${base}/revoke`,
      oauth2FederatedSignonPemCertsUrl: `${base}/oauth2/v1/certs`,
      oauth2FederatedSignonJwkCertsUrl: `${base}/oauth2/v3/certs`,
    },
  });
}

export interface AuthorizeOptions {
  scope?: string;
  offline?: boolean;
  prompt?: string;
  nonce?: string;
  state?: string;
}

/** Follows the authorize redirect like a browser with login_hint would, returning the callback query. */
export async function authorize(
  fake: FakeGoogle,
  client: OAuth2Client,
  email: string,
  o: AuthorizeOptions = {},
): Promise<URLSearchParams> {
  const url = client.generateAuthUrl({
    scope: o.scope ?? ALL_SCOPES,
    access_type: o.offline === false ? 'online' : 'offline',
    prompt: o.prompt,
    state: o.state ?? 'state-123',
    login_hint: email,
    ...(o.nonce ? { nonce: o.nonce } : {}),
  } as Parameters<OAuth2Client['generateAuthUrl']>[0]);
  const res = await fetch(url, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}`);
  return new URL(res.headers.get('location')!).searchParams;
}

/** Signs `email` in through the real OAuth client and returns it with credentials set. */
export async function signIn(fake: FakeGoogle, email: string, o: AuthorizeOptions = {}): Promise<OAuth2Client> {
  const client = oauthClient(fake);
  const params = await authorize(fake, client, email, o);
  const { tokens } = await client.getToken(params.get('code')!);
  client.setCredentials(tokens);
  return client;
}

export function calendarApi(fake: FakeGoogle, auth: OAuth2Client): calendar_v3.Calendar {
  // The client library nests its own google-auth-library copy; the instances are compatible at runtime.
  return calendar({ version: 'v3', auth: auth as never, rootUrl: `${fake.url}/` });
}

export async function apiFor(fake: FakeGoogle, email: string, scope = ALL_SCOPES): Promise<calendar_v3.Calendar> {
  return calendarApi(fake, await signIn(fake, email, { scope }));
}

/** Resolves with the Google error (status + first reason) a call fails with. */
export async function googleError(
  p: Promise<unknown>,
): Promise<{ status: number; reason?: string; headers: Record<string, string>; body: unknown }> {
  try {
    await p;
  } catch (e) {
    const err = e as {
      status?: number;
      response?: { status: number; data: unknown; headers: Headers | Record<string, string> };
    };
    const res = err.response;
    if (!res) throw e;
    const data = res.data as { error?: { errors?: Array<{ reason: string }> } | string };
    const reason = typeof data?.error === 'object' ? data.error.errors?.[0]?.reason : data?.error;
    const headers: Record<string, string> = {};
    if (res.headers instanceof Headers) res.headers.forEach((v, k) => (headers[k] = v));
    else Object.assign(headers, res.headers);
    return { status: res.status, reason, headers, body: data };
  }
  throw new Error('expected the call to fail');
}

export function timed(
  startIso: string,
  minutes = 60,
  timeZone?: string,
): Pick<calendar_v3.Schema$Event, 'start' | 'end'> {
  const end = new Date(Date.parse(startIso) + minutes * 60_000).toISOString().replace('.000', '');
  return {
    start: { dateTime: startIso, ...(timeZone ? { timeZone } : {}) },
    end: { dateTime: end, ...(timeZone ? { timeZone } : {}) },
  };
}

export interface ReceivedPush {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver like the product's, recording every notification. */
export async function startReceiver(): Promise<{
  url: string;
  received: ReceivedPush[];
  close(): Promise<void>;
  waitFor(n: number, ms?: number): Promise<void>;
}> {
  const received: ReceivedPush[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
    waitFor: async (n, ms = 3000) => {
      const deadline = Date.now() + ms;
      while (received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    },
  };
}

/** Follows nextPageToken until a nextSyncToken appears. */
export async function listAll(
  api: calendar_v3.Calendar,
  params: calendar_v3.Params$Resource$Events$List,
): Promise<{ items: calendar_v3.Schema$Event[]; nextSyncToken: string; pages: number }> {
  const items: calendar_v3.Schema$Event[] = [];
  let pageToken: string | undefined = params.pageToken;
  let pages = 0;
  for (;;) {
    const { data } = await api.events.list({ ...params, pageToken });
    pages++;
    items.push(...(data.items ?? []));
    if (data.nextPageToken) {
      if (data.nextSyncToken) throw new Error('a page carried both nextPageToken and nextSyncToken');
      pageToken = data.nextPageToken;
      continue;
    }
    return { items, nextSyncToken: data.nextSyncToken!, pages };
  }
}
