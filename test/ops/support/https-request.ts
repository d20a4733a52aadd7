import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { FIXTURE_CERT } from './nginx';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request over http or https. node:https rather than fetch: it accepts the test's own CA (the
 * fixture certificate) per request, so TLS is verified for real instead of switched off.
 */
export function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      target,
      {
        method: init.method ?? 'GET',
        headers: init.headers,
        ...(target.protocol === 'https:'
          ? { ca: readFileSync(FIXTURE_CERT), ...(isIP(target.hostname) ? {} : { servername: target.hostname }) }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

export function setCookies(answer: Answer): string[] {
  const raw = answer.headers['set-cookie'];
  return Array.isArray(raw) ? raw : raw ? [raw] : [];
}
