import * as http from 'node:http';
import { EncryptionService } from '../src/crypto/encryption.service';
import { BenchWorld } from './support/bench-world';
import { median } from './support/stats';

/** One calendar as a quiet poll sees it: where to list, with which access token, from which sync token. */
export interface FloorTarget {
  calendarId: string;
  accessToken: string;
  syncToken: string;
}

export interface FloorFigures {
  calendars: number;
  /** Process CPU (user + system) per calendar, ms: node:http with a keep-alive agent (the floor). */
  httpCpuMsPerCalendar: number;
  /** The same with Node's fetch (undici), the transport the Google client uses: shown, not the floor. */
  fetchCpuMsPerCalendar: number;
  /** Items the listings returned in total (0 for a quiet poll: proves the tokens were current). */
  itemsListed: number;
}

/** Every polled calendar's stored sync token and its account's access token (decrypted once, outside the measurement). */
export async function floorTargets(world: BenchWorld): Promise<FloorTarget[]> {
  const rows = (await world.db.reader.query(`
    SELECT c.google_calendar_id AS calendarId, s.sync_token AS syncToken, t.access_token_encrypted AS sealed
    FROM client_calendars c JOIN calendar_sync_state s ON s.client_calendar_id = c.id JOIN oauth_tokens t ON t.id = c.oauth_token_id
    WHERE c.is_active = 1 AND s.sync_token IS NOT NULL ORDER BY c.user_id, c.id`)) as Array<{
    calendarId: string;
    syncToken: string;
    sealed: Buffer;
  }>;
  const enc = world.product.app.get(EncryptionService);
  return rows.map((r) => ({ calendarId: r.calendarId, syncToken: r.syncToken, accessToken: enc.decrypt(r.sealed) }));
}

function listUrl(base: string, t: FloorTarget): string {
  // The query the product sends for an incremental listing.
  const q = new URLSearchParams({ maxResults: '250', singleEvents: 'false', syncToken: t.syncToken });
  return `${base}/calendar/v3/calendars/${encodeURIComponent(t.calendarId)}/events?${q}`;
}

function listWithHttp(agent: http.Agent, base: string, t: FloorTarget): Promise<{ items?: unknown[] }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      listUrl(base, t),
      { agent, headers: { authorization: `Bearer ${t.accessToken}`, accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`floor listing answered ${res.statusCode}`));
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items?: unknown[] });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

async function listWithFetch(base: string, t: FloorTarget): Promise<{ items?: unknown[] }> {
  const res = await fetch(listUrl(base, t), {
    headers: { authorization: `Bearer ${t.accessToken}`, accept: 'application/json' },
  });
  if (res.status !== 200) throw new Error(`floor listing answered ${res.status}`);
  return (await res.json()) as { items?: unknown[] };
}

/** Runs `list` over every target with `parallel` lanes; returns CPU ms per calendar and items seen. */
async function measure(
  targets: FloorTarget[],
  parallel: number,
  list: (t: FloorTarget) => Promise<{ items?: unknown[] }>,
): Promise<{ cpuMs: number; items: number }> {
  let next = 0;
  let items = 0;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < targets.length) items += (await list(targets[next++])).items?.length ?? 0;
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000 / targets.length, items };
}

/**
 * The floor of a quiet poll: one events.list with the stored sync token per calendar, made by a bare HTTP
 * client in this process (request, response, JSON parse) and nothing else - no database, no Google client,
 * no tokens to look up. `parallel` lanes, as the product syncs that many users side by side. A warm-up round
 * first, so both clients have their connections open as the product's have.
 */
export async function measureFloor(
  base: string,
  targets: FloorTarget[],
  parallel: number,
  rounds = 3,
): Promise<FloorFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
  try {
    const viaHttp = (t: FloorTarget) => listWithHttp(agent, base, t);
    await measure(targets.slice(0, parallel * 4), parallel, viaHttp);
    await measure(targets.slice(0, parallel * 4), parallel, (t) => listWithFetch(base, t));
    const httpRuns: number[] = [];
    const fetchRuns: number[] = [];
    let items = 0;
    for (let r = 0; r < rounds; r++) {
      const h = await measure(targets, parallel, viaHttp);
      const f = await measure(targets, parallel, (t) => listWithFetch(base, t));
      httpRuns.push(h.cpuMs);
      fetchRuns.push(f.cpuMs);
      items += h.items + f.items;
    }
    return {
      calendars: targets.length,
      httpCpuMsPerCalendar: median(httpRuns),
      fetchCpuMsPerCalendar: median(fetchRuns),
      itemsListed: items,
    };
  } finally {
    agent.destroy();
  }
}
