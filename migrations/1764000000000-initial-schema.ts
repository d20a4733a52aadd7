import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The product's schema plus what the engine needs (etags and hashes of what we wrote, session
 * versions, alert de-duplication, hashed webhook tokens). Written by hand; later changes add new
 * migrations with ALTER TABLE ... ADD COLUMN (a table rebuild could cascade-delete child rows).
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE organization (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      google_workspace_domain TEXT NOT NULL UNIQUE,
      google_client_id_encrypted BLOB NOT NULL,
      google_client_secret_encrypted BLOB NOT NULL,
      created_at DATETIME NOT NULL DEFAULT (datetime('now')),
      updated_at DATETIME
    )`);
    await q.query(`CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value_encrypted BLOB,
      value_plain TEXT,
      is_sensitive BOOLEAN NOT NULL DEFAULT 0,
      updated_at DATETIME NOT NULL DEFAULT (datetime('now'))
    )`);
    await q.query(`CREATE TABLE users (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      email TEXT NOT NULL UNIQUE,
      google_user_id TEXT NOT NULL UNIQUE,
      display_name TEXT,
      main_calendar_id TEXT,
      is_admin BOOLEAN NOT NULL DEFAULT 0,
      session_version INTEGER NOT NULL DEFAULT 1,
      email_alerts BOOLEAN NOT NULL DEFAULT 1,
      created_at DATETIME NOT NULL DEFAULT (datetime('now')),
      last_login_at DATETIME
    )`);
    await q.query(`CREATE TABLE oauth_tokens (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      account_type TEXT NOT NULL,
      google_account_email TEXT NOT NULL,
      google_subject TEXT,
      access_token_encrypted BLOB NOT NULL,
      refresh_token_encrypted BLOB NOT NULL,
      token_expiry DATETIME,
      scopes TEXT NOT NULL DEFAULT '',
      needs_reauth BOOLEAN NOT NULL DEFAULT 0,
      created_at DATETIME NOT NULL DEFAULT (datetime('now')),
      updated_at DATETIME,
      UNIQUE(user_id, google_account_email)
    )`);
    await q.query(`CREATE TABLE client_calendars (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      oauth_token_id INTEGER NOT NULL REFERENCES oauth_tokens(id),
      google_calendar_id TEXT NOT NULL,
      display_name TEXT,
      calendar_type TEXT NOT NULL DEFAULT 'client',
      access_role TEXT,
      is_active BOOLEAN NOT NULL DEFAULT 1,
      created_at DATETIME NOT NULL DEFAULT (datetime('now')),
      disconnected_at DATETIME
    )`);
    await q.query(`CREATE INDEX idx_client_calendars_user ON client_calendars(user_id, is_active)`);
    await q.query(`CREATE TABLE calendar_sync_state (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      client_calendar_id INTEGER NOT NULL UNIQUE REFERENCES client_calendars(id) ON DELETE CASCADE,
      sync_token TEXT,
      last_full_sync DATETIME,
      last_incremental_sync DATETIME,
      consecutive_failures INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      status TEXT NOT NULL DEFAULT 'ok',
      next_retry_at DATETIME
    )`);
    await q.query(`CREATE TABLE event_mappings (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      origin_type TEXT NOT NULL,
      origin_calendar_id INTEGER NOT NULL REFERENCES client_calendars(id),
      origin_event_id TEXT NOT NULL,
      origin_recurring_event_id TEXT,
      origin_ical_uid TEXT,
      origin_etag TEXT,
      main_event_id TEXT,
      main_event_etag TEXT,
      event_start DATETIME,
      event_end DATETIME,
      is_all_day BOOLEAN NOT NULL DEFAULT 0,
      is_recurring BOOLEAN NOT NULL DEFAULT 0,
      user_can_edit BOOLEAN NOT NULL DEFAULT 1,
      content_hash TEXT,
      deleted_at DATETIME,
      created_at DATETIME NOT NULL DEFAULT (datetime('now')),
      updated_at DATETIME,
      UNIQUE(user_id, origin_calendar_id, origin_event_id)
    )`);
    await q.query(`CREATE INDEX idx_event_mappings_cleanup ON event_mappings(is_recurring, event_end, deleted_at)`);
    await q.query(`CREATE INDEX idx_event_mappings_main ON event_mappings(user_id, main_event_id)`);
    await q.query(
      `CREATE INDEX idx_event_mappings_series ON event_mappings(origin_calendar_id, origin_recurring_event_id)`,
    );
    await q.query(`CREATE TABLE busy_blocks (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      event_mapping_id INTEGER NOT NULL REFERENCES event_mappings(id) ON DELETE CASCADE,
      client_calendar_id INTEGER NOT NULL REFERENCES client_calendars(id),
      busy_block_event_id TEXT NOT NULL,
      etag TEXT,
      content_hash TEXT,
      created_at DATETIME NOT NULL DEFAULT (datetime('now')),
      UNIQUE(event_mapping_id, client_calendar_id)
    )`);
    await q.query(`CREATE INDEX idx_busy_blocks_calendar ON busy_blocks(client_calendar_id, busy_block_event_id)`);
    await q.query(`CREATE TABLE sync_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      user_id INTEGER,
      calendar_id INTEGER,
      action TEXT NOT NULL,
      status TEXT NOT NULL,
      details TEXT,
      created_at DATETIME NOT NULL DEFAULT (datetime('now'))
    )`);
    await q.query(`CREATE INDEX idx_sync_log_created ON sync_log(created_at)`);
    await q.query(`CREATE INDEX idx_sync_log_user ON sync_log(user_id, created_at)`);
    await q.query(`CREATE TABLE webhook_channels (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      calendar_type TEXT NOT NULL,
      client_calendar_id INTEGER REFERENCES client_calendars(id) ON DELETE CASCADE,
      channel_id TEXT NOT NULL UNIQUE,
      resource_id TEXT NOT NULL,
      token_hash TEXT,
      expiration DATETIME NOT NULL,
      created_at DATETIME NOT NULL DEFAULT (datetime('now'))
    )`);
    await q.query(`CREATE INDEX idx_webhook_expiration ON webhook_channels(expiration)`);
    await q.query(`CREATE TABLE alert_queue (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      alert_type TEXT NOT NULL,
      recipient_email TEXT NOT NULL,
      subject TEXT NOT NULL,
      body TEXT NOT NULL,
      html_body TEXT,
      dedup_key TEXT,
      user_id INTEGER,
      calendar_id INTEGER,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_attempt DATETIME,
      next_attempt_at DATETIME,
      last_error TEXT,
      sent_at DATETIME,
      failed_at DATETIME,
      created_at DATETIME NOT NULL DEFAULT (datetime('now'))
    )`);
    await q.query(`CREATE INDEX idx_alert_queue_pending ON alert_queue(sent_at, next_attempt_at)`);
    await q.query(`CREATE INDEX idx_alert_queue_dedup ON alert_queue(dedup_key, created_at)`);
    await q.query(`CREATE TABLE job_locks (
      job_name TEXT PRIMARY KEY,
      locked_at DATETIME,
      locked_by TEXT
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'job_locks',
      'alert_queue',
      'webhook_channels',
      'sync_log',
      'busy_blocks',
      'event_mappings',
      'calendar_sync_state',
      'client_calendars',
      'oauth_tokens',
      'users',
      'settings',
      'organization',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
