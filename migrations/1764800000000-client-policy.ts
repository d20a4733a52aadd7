import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-client rules for what may block a client calendar, as one JSON column (null: the defaults).
 * Added with ADD COLUMN: a SQLite table rebuild could cascade-delete the calendar's child rows.
 */
export class ClientPolicy1764800000000 implements MigrationInterface {
  name = 'ClientPolicy1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE client_calendars ADD COLUMN policy TEXT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE client_calendars DROP COLUMN policy`);
  }
}
