import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { InitialSchema1764000000000 } from '../../../migrations/1764000000000-initial-schema';
import { EncryptionService } from '../../../src/crypto/encryption.service';
import { writeKeyFileAtomically } from '../../../src/crypto/key-file';

/**
 * A database exactly as the first release left it: only the initial migration applied (no entities, so
 * nothing of today's model leaks in), filled with raw SQL so every table, and every kind of child row,
 * has data an upgrade must keep.
 */
export async function buildPreviousReleaseDatabase(databaseFile: string, keyFile: string): Promise<void> {
  await fs.mkdir(path.dirname(databaseFile), { recursive: true });
  const key = randomBytes(32);
  await writeKeyFileAtomically(keyFile, key);
  const crypto = new EncryptionService();
  crypto.useKey(key);
  const sealed = (text: string) => crypto.encrypt(text);

  const ds = new DataSource({
    type: 'sqlite',
    database: databaseFile,
    migrations: [InitialSchema1764000000000],
    migrationsTableName: 'migrations',
    enableWAL: true,
  });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    const run = (sql: string, params: unknown[] = []) => ds.query(sql, params);
    await run(
      `INSERT INTO organization (id, google_workspace_domain, google_client_id_encrypted, google_client_secret_encrypted, updated_at)
      VALUES (1, 'consultancy.example', ?, ?, datetime('now', '-30 days'))`,
      [sealed('client-id.apps.example'), sealed('client-secret')],
    );
    await run(
      `INSERT INTO settings (key, value_plain, value_encrypted, is_sensitive) VALUES
      ('alerts_enabled', 'true', NULL, 0), ('smtp_host', 'smtp.consultancy.example', NULL, 0), ('smtp_password', NULL, ?, 1)`,
      [sealed('smtp-pass')],
    );
    await run(`INSERT INTO users (id, email, google_user_id, display_name, main_calendar_id, is_admin, session_version, email_alerts, last_login_at) VALUES
      (1, 'alice@consultancy.example', 'g-alice', 'Alice', 'alice@consultancy.example', 1, 3, 1, datetime('now', '-1 day')),
      (2, 'bob@consultancy.example', 'g-bob', 'Bob', NULL, 0, 1, 0, NULL)`);
    await run(
      `INSERT INTO oauth_tokens (id, user_id, account_type, google_account_email, google_subject, access_token_encrypted, refresh_token_encrypted, token_expiry, scopes, needs_reauth) VALUES
      (1, 1, 'home', 'alice@consultancy.example', 'g-alice', ?, ?, datetime('now', '+1 hour'), 'openid email', 0),
      (2, 1, 'client', 'alice@acme.example', 'g-acme', ?, ?, datetime('now', '+1 hour'), 'openid email', 0),
      (3, 1, 'personal', 'alice.personal@gmail.example', 'g-pers', ?, ?, NULL, 'openid', 1),
      (4, 2, 'home', 'bob@consultancy.example', 'g-bob', ?, ?, NULL, '', 0)`,
      [
        sealed('at1'),
        sealed('rt1'),
        sealed('at2'),
        sealed('rt2'),
        sealed('at3'),
        sealed('rt3'),
        sealed('at4'),
        sealed('rt4'),
      ],
    );
    await run(`INSERT INTO client_calendars (id, user_id, oauth_token_id, google_calendar_id, display_name, calendar_type, access_role, is_active, disconnected_at) VALUES
      (1, 1, 2, 'alice@acme.example', 'Acme', 'client', 'owner', 1, NULL),
      (2, 1, 3, 'alice.personal@gmail.example', 'Personal', 'personal', 'owner', 1, NULL),
      (3, 1, 2, 'old@acme.example', 'Old Acme', 'client', 'writer', 0, datetime('now', '-2 days'))`);
    await run(`INSERT INTO calendar_sync_state (id, client_calendar_id, sync_token, last_full_sync, consecutive_failures, last_error, status) VALUES
      (1, 1, 'sync-token-1', datetime('now', '-1 hour'), 0, NULL, 'ok'),
      (2, 2, 'sync-token-2', datetime('now', '-1 hour'), 2, 'timeout', 'backoff')`);
    await run(`INSERT INTO event_mappings (id, user_id, origin_type, origin_calendar_id, origin_event_id, origin_recurring_event_id, origin_ical_uid, origin_etag,
        main_event_id, main_event_etag, event_start, event_end, is_all_day, is_recurring, user_can_edit, content_hash, deleted_at) VALUES
      (1, 1, 'client', 1, 'evt-single', NULL, 'uid-1@acme', '"e1"', 'copy1', '"m1"', datetime('now', '+40 days'), datetime('now', '+40 days', '+1 hour'), 0, 0, 1, 'h1', NULL),
      (2, 1, 'client', 1, 'evt-series', NULL, 'uid-2@acme', '"e2"', 'copy2', '"m2"', datetime('now', '+41 days'), datetime('now', '+41 days', '+30 minutes'), 0, 1, 0, 'h2', NULL),
      (3, 1, 'client', 1, 'evt-series_20270113T090000Z', 'evt-series', 'uid-2@acme', '"e3"', 'copy2_20270113T090000Z', '"m3"', datetime('now', '+48 days'), datetime('now', '+48 days', '+1 hour'), 0, 0, 0, 'h3', NULL),
      (4, 1, 'personal', 2, 'evt-dentist', NULL, 'uid-4@gmail', '"e4"', 'copy4', '"m4"', date('now', '+42 days'), date('now', '+43 days'), 1, 0, 1, 'h4', NULL),
      (5, 1, 'client', 1, 'evt-gone', NULL, 'uid-5@acme', '"e5"', NULL, NULL, datetime('now', '+60 days'), datetime('now', '+60 days', '+1 hour'), 0, 1, 1, 'h5', datetime('now', '-1 day'))`);
    await run(`INSERT INTO busy_blocks (id, event_mapping_id, client_calendar_id, busy_block_event_id, etag, content_hash) VALUES
      (1, 2, 3, 'busy-a', '"b1"', 'bh1'), (2, 4, 1, 'busy-b', '"b2"', 'bh2'), (3, 3, 3, 'busy-c', '"b3"', 'bh3')`);
    await run(`INSERT INTO sync_log (id, user_id, calendar_id, action, status, details, created_at) VALUES
      (1, 1, 1, 'sync', 'success', '{"created":2}', datetime('now', '-1 day')), (2, 1, 2, 'sync', 'failure', '{"error":"timeout"}', datetime('now', '-2 hours'))`);
    await run(`INSERT INTO webhook_channels (id, user_id, calendar_type, client_calendar_id, channel_id, resource_id, token_hash, expiration) VALUES
      (1, 1, 'main', NULL, 'chan-main', 'res-main', 'th1', datetime('now', '+5 days')), (2, 1, 'client', 1, 'chan-acme', 'res-acme', 'th2', datetime('now', '+5 days'))`);
    await run(`INSERT INTO alert_queue (id, alert_type, recipient_email, subject, body, html_body, dedup_key, user_id, calendar_id, attempts, sent_at, created_at) VALUES
      (1, 'sync_failures', 'alice@consultancy.example', 'Sync failing', 'text', '<p>html</p>', 'sync_failures:2', 1, 2, 1, datetime('now', '-1 hour'), datetime('now', '-1 hour'))`);
    await run(`INSERT INTO job_locks (job_name, locked_at, locked_by) VALUES ('retention-cleanup', NULL, NULL)`);
  } finally {
    await ds.destroy();
  }
}
