/** One browser's worth of cookies against the product, with the CSRF header API.md asks for. */
export class HttpSession {
  private readonly cookies = new Map<string, string>();
  private csrf: string | null = null;

  constructor(
    readonly baseUrl: string,
    cookie?: string,
  ) {
    if (cookie) this.remember([cookie]);
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const unsafe = !['GET', 'HEAD'].includes(method);
    if (unsafe && this.csrf === null) await this.fetchCsrf();
    const response = await fetch(path.startsWith('http') ? path : `${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: this.cookieHeader(),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(unsafe && this.csrf ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    this.remember(response.headers.getSetCookie());
    return response;
  }

  async json<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await this.request(method, path, body, { accept: 'application/json' });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }

  get(path: string): Promise<Response> {
    return this.request('GET', path);
  }

  private async fetchCsrf(): Promise<void> {
    const response = await this.request('GET', '/api/csrf');
    this.csrf = ((await response.json()) as { token: string }).token;
  }

  private remember(setCookies: string[]): void {
    for (const c of setCookies) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      // CSRF tokens are bound to the session: a new session (sign-in, logout) needs a new token.
      if (/^(__Host-)?bb_session$/.test(name) && this.cookies.get(name) !== pair.slice(i + 1)) this.csrf = null;
      this.cookies.set(name, pair.slice(i + 1));
    }
  }

  cookieHeader(): string {
    return [...this.cookies]
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  }
}

/**
 * Drives a connect flow like a browser: our redirect to Google, the emulator's account chooser answered
 * with `email`, Google's redirect back, and on to wherever the product sends the browser after the
 * callback (a reconnect may go through Google twice). Returns the last response of the product.
 */
export async function connectAccount(
  session: HttpSession,
  route: '/auth/connect-client' | '/auth/connect-personal',
  email: string,
): Promise<Response> {
  let response = await session.get(route);
  for (let hop = 0; hop < 4; hop++) {
    const location = response.headers.get('location');
    if (response.status !== 302 || !location || !location.includes('/o/oauth2/v2/auth')) return response;
    const authorize = new URL(location);
    authorize.searchParams.set('login_hint', email);
    const google = await fetch(authorize, { redirect: 'manual' });
    const back = google.headers.get('location');
    if (google.status !== 302 || !back) throw new Error(`The emulator did not redirect back (${google.status})`);
    response = await session.get(back);
  }
  return response;
}

/** The account id the connect callback redirects to (`/app/connect?account=<id>`); NaN when it went elsewhere. */
export function connectedAccountId(response: Response): number {
  return Number(new URL(response.headers.get('location') ?? '', 'http://x').searchParams.get('account') ?? NaN);
}

/** Connects `email`'s Google account through the real consent flow, then picks `calendarId` through the user API. */
export async function connectCalendar<T = { id: number }>(
  session: HttpSession,
  kind: 'client' | 'personal',
  email: string,
  calendarId: string,
): Promise<{ accountId: number; status: number; body: T }> {
  const accountId = connectedAccountId(
    await connectAccount(session, kind === 'client' ? '/auth/connect-client' : '/auth/connect-personal', email),
  );
  const row = await session.json<T>('POST', `/api/${kind}-calendars`, { accountId, calendarId });
  return { accountId, ...row };
}
