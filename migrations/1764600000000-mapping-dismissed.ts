import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sync engine's additions: when a user removes a main copy, its mapping is marked dismissed so the
 * copy is not recreated (a soft-delete would be swept by retention and the copy would come back);
 * mappings are looked up by iCalUID to find the same meeting on two calendars (invariant 7).
 */
export class MappingDismissed1764600000000 implements MigrationInterface {
  name = 'MappingDismissed1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE event_mappings ADD COLUMN dismissed_at DATETIME`);
    await q.query(`CREATE INDEX idx_event_mappings_ical ON event_mappings(user_id, origin_ical_uid)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_event_mappings_ical`);
    await q.query(`ALTER TABLE event_mappings DROP COLUMN dismissed_at`);
  }
}
