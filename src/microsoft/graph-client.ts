import { ClassifiedRetryOptions, retryClassified } from '../providers/retry-classified';
import { classifyMicrosoftError, GraphHttpError } from './graph-errors';
import { MailboxPacer } from './mailbox-pacer';
import { MicrosoftTokenClient } from './microsoft-identity';

export interface GraphRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
}

export interface GraphClientOptions {
  retry?: ClassifiedRetryOptions;
  timeoutMs?: number;
}

/**
 * A small Graph v1.0 client on fetch: bearer token, JSON, paced per mailbox, retried on throttling and 5xx,
 * one refresh-and-resend on a 401 (a token we believed fresh can still be refused). Every failure is thrown
 * as GraphHttpError and classified by the caller's boundary.
 */
export class GraphClient {
  constructor(
    private readonly root: string,
    private readonly tokens: MicrosoftTokenClient,
    private readonly pacer: MailboxPacer,
    private readonly options: GraphClientOptions = {},
  ) {}

  /** `path` is relative to the v1.0 root, or an absolute nextLink/deltaLink Graph gave us. */
  async request<T>(path: string, req: GraphRequest = {}): Promise<T> {
    const url = /^https?:\/\//.test(path) ? path : `${this.root}${path}`;
    return retryClassified(
      () => this.pacer.run(() => this.send<T>(url, req, false)),
      classifyMicrosoftError,
      this.options.retry,
    );
  }

  private async send<T>(url: string, req: GraphRequest, refreshed: boolean): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.tokens.accessToken()}`,
      accept: 'application/json',
      ...req.headers,
    };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url, {
      method: req.method ?? 'GET',
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    if (res.ok) return (text ? JSON.parse(text) : {}) as T;
    if (res.status === 401 && !refreshed) {
      await this.tokens.refresh();
      return this.send<T>(url, req, true);
    }
    const error = parseError(text);
    const retryAfter = res.headers.get('retry-after');
    if (retryAfter && (res.status === 429 || res.status === 503)) this.pacer.pause(Number(retryAfter) * 1000 || 1000);
    throw new GraphHttpError({ status: res.status, code: error.code, message: error.message, retryAfter });
  }
}

function parseError(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return { code: body.error?.code, message: body.error?.message };
  } catch {
    return { message: text.slice(0, 200) };
  }
}
