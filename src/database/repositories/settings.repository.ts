import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DatabaseService } from '../database.service';
import { Setting } from '../entities';

export interface StoredSetting {
  key: string;
  plain: string | null;
  sealed: Buffer | null;
}

@Injectable()
export class SettingsRepository {
  constructor(private readonly db: DatabaseService) {}

  async all(): Promise<StoredSetting[]> {
    const rows = await this.db.reader.getRepository(Setting).find();
    return rows.map((r) => ({ key: r.key, plain: r.valuePlain, sealed: r.valueEncrypted }));
  }

  async get(key: string): Promise<StoredSetting | null> {
    const row = await this.db.reader.getRepository(Setting).findOneBy({ key });
    return row ? { key: row.key, plain: row.valuePlain, sealed: row.valueEncrypted } : null;
  }

  /** Upserts; a sensitive value is stored only sealed. Pass a manager to join an open transaction. */
  async put(values: StoredSetting[], manager?: EntityManager): Promise<void> {
    const work = async (m: EntityManager) => {
      for (const v of values) {
        await m.getRepository(Setting).save({
          key: v.key,
          valuePlain: v.sealed ? null : v.plain,
          valueEncrypted: v.sealed,
          isSensitive: v.sealed !== null,
          updatedAt: new Date(),
        });
      }
    };
    if (manager) return work(manager);
    return this.db.write(work);
  }

  async remove(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.write((m) =>
      m
        .getRepository(Setting)
        .delete(keys.map((key) => ({ key })))
        .then(() => undefined),
    );
  }
}
