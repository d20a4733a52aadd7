import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An occurrence copy we cancelled (deleting an instance of a copy series leaves a cancelled exception) was
 * recorded by the word 'cancelled' in content_hash. It becomes an explicit state: `main_copy_state` on the
 * mapping (its main copy) and `state` on a busy block, 'written' or 'cancelled'; content_hash keeps hashes only.
 */
export class CopyState1765000000000 implements MigrationInterface {
  name = 'CopyState1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE event_mappings ADD COLUMN main_copy_state TEXT NOT NULL DEFAULT 'written'`);
    await q.query(
      `UPDATE event_mappings SET main_copy_state = 'cancelled', content_hash = NULL WHERE content_hash = 'cancelled'`,
    );
    await q.query(`ALTER TABLE busy_blocks ADD COLUMN state TEXT NOT NULL DEFAULT 'written'`);
    await q.query(`UPDATE busy_blocks SET state = 'cancelled', content_hash = NULL WHERE content_hash = 'cancelled'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE busy_blocks SET content_hash = 'cancelled' WHERE state = 'cancelled'`);
    await q.query(`ALTER TABLE busy_blocks DROP COLUMN state`);
    await q.query(`UPDATE event_mappings SET content_hash = 'cancelled' WHERE main_copy_state = 'cancelled'`);
    await q.query(`ALTER TABLE event_mappings DROP COLUMN main_copy_state`);
  }
}
