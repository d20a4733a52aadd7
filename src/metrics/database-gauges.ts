import { promises as fs } from 'node:fs';
import { Gauge, Registry } from 'prom-client';
import { ALERT_TYPES } from '../alerts/alert-types';
import { DatabaseService } from '../database/database.service';
import { SettingsService } from '../settings/settings.service';
import { METRIC_PREFIX } from './metrics.service';

type Row = Record<string, string | number | null>;
const DAY_S = 86_400;
/** The renewal job replaces channels with less than this left; a channel below it was not renewed. */
const RENEW_WITHIN_S = DAY_S;
export const CONNECTION_STATES = ['ok', 'failing', 'needs_reauth', 'inaccessible', 'paused'] as const;

/**
 * States, not events: read from the database when Prometheus scrapes (a few indexed COUNT queries), so
 * they are right after a restart and no other room has to remember to count them.
 */
export class DatabaseGauges {
  constructor(
    private readonly db: DatabaseService,
    private readonly settings: SettingsService,
    private readonly databasePath: string,
  ) {}

  register(registry: Registry): void {
    this.gauge(registry, 'connections', 'Connected calendars by state', ['state'], async (g) => {
      const rows = await this.connections();
      for (const state of CONNECTION_STATES) g.set({ state }, Number(rows.find((r) => r.state === state)?.n ?? 0));
    });
    this.gauge(
      registry,
      'push_channels',
      'Google push channels by state (expiring: renewal due within a day)',
      ['state'],
      async (g) => {
        const [row] = await this.channels();
        for (const state of ['active', 'expiring', 'expired']) g.set({ state }, Number(row?.[state] ?? 0));
      },
    );
    this.gauge(
      registry,
      'push_channel_soonest_expiry_timestamp_seconds',
      'When the first push channel expires (0: no channel)',
      [],
      async (g) => {
        const [row] = await this.channels();
        g.set(Number(row?.soonest ?? 0));
      },
    );
    this.gauge(
      registry,
      'last_successful_sync_timestamp_seconds',
      'Per calendar kind, the last successful sync of the active calendar that has gone longest without one',
      ['calendar_kind'],
      async (g) => {
        for (const row of await this.lastSuccess()) g.set({ calendar_kind: String(row.kind) }, Number(row.oldest ?? 0));
      },
    );
    this.gauge(registry, 'managed_events', 'Events BusyBridge keeps on calendars, by kind', ['kind'], async (g) => {
      const [row] = await this.managed();
      g.set({ kind: 'main_copy' }, Number(row?.main_copy ?? 0));
      g.set({ kind: 'busy_block' }, Number(row?.busy_block ?? 0));
    });
    this.gauge(
      registry,
      'alert_emails',
      'Alert emails in the queue (kept 7 days) by type and result',
      ['type', 'result'],
      async (g) => {
        // Every type and result shown, at zero when empty: a board's "no data" would read as "broken".
        for (const type of Object.keys(ALERT_TYPES))
          for (const result of ['pending', 'sent', 'failed']) g.set({ type, result }, 0);
        for (const row of await this.alertEmails())
          g.set({ type: String(row.type), result: String(row.result) }, Number(row.n));
      },
    );
    this.gauge(
      registry,
      'database_size_bytes',
      'Size of the SQLite database and its write-ahead log',
      ['file'],
      async (g) => {
        g.set({ file: 'database' }, await sizeOf(this.databasePath));
        g.set({ file: 'wal' }, await sizeOf(`${this.databasePath}-wal`));
      },
    );
  }

  private gauge(
    registry: Registry,
    name: string,
    help: string,
    labelNames: string[],
    fill: (g: Gauge) => Promise<void>,
  ): void {
    new Gauge({
      name: METRIC_PREFIX + name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        // Labels that no longer exist (a channel state now empty, an alert type purged) must not linger.
        this.reset();
        await fill(this);
      },
    });
  }

  private query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.db.reader.query(sql, params) as Promise<Row[]>;
  }

  private async connections(): Promise<Row[]> {
    const paused = (await this.settings.isSyncPaused()) ? 1 : 0;
    return this.query(
      `
      SELECT CASE
        WHEN t.needs_reauth = 1 OR s.status = 'needs_reauth' THEN 'needs_reauth'
        WHEN c.is_active = 0 THEN 'inaccessible'
        WHEN ? = 1 THEN 'paused'
        WHEN s.status IN ('backoff', 'error') THEN 'failing'
        ELSE 'ok' END AS state, COUNT(*) AS n
      FROM client_calendars c JOIN oauth_tokens t ON t.id = c.oauth_token_id
      LEFT JOIN calendar_sync_state s ON s.client_calendar_id = c.id
      WHERE c.disconnected_at IS NULL GROUP BY state`,
      [paused],
    );
  }

  private channels(): Promise<Row[]> {
    const now = Math.floor(Date.now() / 1000);
    return this.query(
      `
      SELECT SUM(e <= ?) AS expired, SUM(e > ? AND e <= ?) AS expiring, SUM(e > ?) AS active, MIN(e) AS soonest
      FROM (SELECT CAST(strftime('%s', expiration) AS INTEGER) AS e FROM webhook_channels)`,
      [now, now, now + RENEW_WITHIN_S, now + RENEW_WITHIN_S],
    );
  }

  private lastSuccess(): Promise<Row[]> {
    return this.query(`
      SELECT c.calendar_type AS kind,
        MIN(MAX(COALESCE(CAST(strftime('%s', s.last_incremental_sync) AS INTEGER), 0), COALESCE(CAST(strftime('%s', s.last_full_sync) AS INTEGER), 0))) AS oldest
      FROM client_calendars c JOIN oauth_tokens t ON t.id = c.oauth_token_id
      LEFT JOIN calendar_sync_state s ON s.client_calendar_id = c.id
      WHERE c.is_active = 1 AND c.disconnected_at IS NULL AND t.needs_reauth = 0 GROUP BY c.calendar_type`);
  }

  private managed(): Promise<Row[]> {
    return this.query(`
      SELECT (SELECT COUNT(*) FROM event_mappings WHERE deleted_at IS NULL AND main_event_id IS NOT NULL AND main_copy_state <> 'cancelled') AS main_copy,
        (SELECT COUNT(*) FROM busy_blocks b JOIN event_mappings m ON m.id = b.event_mapping_id
          WHERE m.deleted_at IS NULL AND b.state <> 'cancelled') AS busy_block`);
  }

  private alertEmails(): Promise<Row[]> {
    return this.query(`
      SELECT alert_type AS type, CASE WHEN sent_at IS NOT NULL THEN 'sent' WHEN failed_at IS NOT NULL THEN 'failed' ELSE 'pending' END AS result,
        COUNT(*) AS n FROM alert_queue GROUP BY type, result`);
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return 0; // no WAL between checkpoints, or a database not yet created
  }
}
