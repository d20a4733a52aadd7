import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database.service';

/** Factory reset: every row of every entity table, in one transaction (the migrations table stays). */
@Injectable()
export class FactoryResetRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Returns the number of rows deleted per table. */
  deleteEverything(): Promise<Record<string, number>> {
    return this.db.write(async (m) => {
      // Foreign keys are checked at COMMIT instead of per statement, so the table order does not matter.
      await m.query('PRAGMA defer_foreign_keys = ON');
      const deleted: Record<string, number> = {};
      for (const meta of m.connection.entityMetadatas) {
        const result = await m.createQueryBuilder().delete().from(meta.target).execute();
        deleted[meta.tableName] = result.affected ?? 0;
      }
      return deleted;
    });
  }
}
