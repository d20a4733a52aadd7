import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SyncLogStatus = 'success' | 'failure' | 'warning';

/** Audit log. Foreign keys are plain columns (no cascade) so entries outlive a removed calendar until retention. */
@Entity('sync_log')
@Index('idx_sync_log_created', ['createdAt'])
@Index('idx_sync_log_user', ['userId', 'createdAt'])
export class SyncLog {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'user_id', type: 'integer', nullable: true }) userId: number | null;
  @Column({ name: 'calendar_id', type: 'integer', nullable: true }) calendarId: number | null;
  @Column({ type: 'text' }) action: string;
  @Column({ type: 'text' }) status: SyncLogStatus;
  /** JSON. Never tokens or event details from another organisation. */
  @Column({ type: 'text', nullable: true }) details: string | null;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
}
