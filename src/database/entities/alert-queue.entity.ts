import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AlertType =
  'token_revoked' | 'calendar_inaccessible' | 'sync_failures' | 'webhook_registration_failed' | 'system_error';

@Entity('alert_queue')
@Index('idx_alert_queue_pending', ['sentAt', 'nextAttemptAt'])
@Index('idx_alert_queue_dedup', ['dedupKey', 'createdAt'])
export class AlertQueueItem {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'alert_type', type: 'text' }) alertType: AlertType;
  @Column({ name: 'recipient_email', type: 'text' }) recipientEmail: string;
  @Column({ type: 'text' }) subject: string;
  /** Plain-text body. */
  @Column({ type: 'text' }) body: string;
  @Column({ name: 'html_body', type: 'text', nullable: true }) htmlBody: string | null;
  /** alert type + calendar (or 'system'): same key within an hour is not queued twice. */
  @Column({ name: 'dedup_key', type: 'text', nullable: true }) dedupKey: string | null;
  @Column({ name: 'user_id', type: 'integer', nullable: true }) userId: number | null;
  @Column({ name: 'calendar_id', type: 'integer', nullable: true }) calendarId: number | null;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column({ name: 'last_attempt', type: 'datetime', nullable: true }) lastAttempt: Date | null;
  @Column({ name: 'next_attempt_at', type: 'datetime', nullable: true }) nextAttemptAt: Date | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'sent_at', type: 'datetime', nullable: true }) sentAt: Date | null;
  @Column({ name: 'failed_at', type: 'datetime', nullable: true }) failedAt: Date | null;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
}
