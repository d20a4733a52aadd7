/**
 * A tiny browser stand-in for HTTP tests: keeps cookies (ignoring their paths, which only matters for
 * tests that inspect them), never follows redirects, and fetches CSRF tokens like the pages do.
 */
export class CookieClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async request(
    path: string,
    init: {
      method?: string;
      json?: unknown;
      form?: Record<string, string>;
      headers?: Record<string, string>;
      csrf?: boolean;
    } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      headers.accept ??= 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    if (init.csrf) headers['x-csrf-token'] = await this.csrfToken();
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const res = await fetch(url, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      redirect: 'manual',
    });
    this.remember(res);
    return res;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  getJson(path: string): Promise<Response> {
    return this.request(path, { headers: { accept: 'application/json' } });
  }

  /** JSON POST with the CSRF token, as a script following API.md would send it. */
  postJson(path: string, json: unknown = {}): Promise<Response> {
    return this.request(path, { method: 'POST', json, csrf: true });
  }

  async csrfToken(): Promise<string> {
    const res = await this.request('/api/csrf');
    return ((await res.json()) as { token: string }).token;
  }

  remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()),
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
