import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EncryptionService } from '../crypto/encryption.service';
import { SettingsRepository } from '../database/repositories/settings.repository';
import { registerSecret } from '../logging/redact';

/** Keys of the stored organization settings, plus the admin's global pause. */
export const SETTING_KEYS = {
  smtpHost: 'smtp_host',
  smtpPort: 'smtp_port',
  smtpUsername: 'smtp_username',
  smtpPassword: 'smtp_password',
  smtpSecurity: 'smtp_security',
  smtpFromAddress: 'smtp_from_address',
  alertEmails: 'alert_emails',
  alertsEnabled: 'alerts_enabled',
  syncPaused: 'sync_paused',
} as const;

const SENSITIVE = new Set<string>([SETTING_KEYS.smtpPassword]);

/** Typed access to the settings table; sensitive values are sealed with the encryption key. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly repo: SettingsRepository,
    private readonly crypto: EncryptionService,
  ) {}

  async get(key: string): Promise<string | null> {
    const row = await this.repo.get(key);
    if (!row) return null;
    if (row.sealed) {
      const value = this.crypto.decrypt(row.sealed);
      registerSecret(value);
      return value;
    }
    return row.plain;
  }

  async getAll(): Promise<Record<string, string | null>> {
    const out: Record<string, string | null> = {};
    for (const row of await this.repo.all()) {
      out[row.key] = row.sealed ? this.crypto.decrypt(row.sealed) : row.plain;
      if (row.sealed) registerSecret(out[row.key]);
    }
    return out;
  }

  async set(values: Record<string, string | null>, manager?: EntityManager): Promise<void> {
    await this.repo.put(
      Object.entries(values).map(([key, value]) => {
        const sensitive = SENSITIVE.has(key) && value !== null;
        if (sensitive) registerSecret(value);
        return {
          key,
          plain: sensitive ? null : value,
          sealed: sensitive ? this.crypto.encrypt(value as string) : null,
        };
      }),
      manager,
    );
  }

  async isSyncPaused(): Promise<boolean> {
    return (await this.get(SETTING_KEYS.syncPaused)) === 'true';
  }
}
