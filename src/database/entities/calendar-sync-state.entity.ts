import { Column, Entity, JoinColumn, OneToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ClientCalendar } from './client-calendar.entity';

/** ok | syncing | backoff | needs_reauth | error: the few states a calendar can be in. */
export type CalendarSyncStatus = 'ok' | 'syncing' | 'backoff' | 'needs_reauth' | 'error';

@Entity('calendar_sync_state')
export class CalendarSyncState {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'client_calendar_id', type: 'integer', unique: true }) clientCalendarId: number;
  @OneToOne(() => ClientCalendar, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_calendar_id' })
  calendar?: ClientCalendar;
  @Column({ name: 'sync_token', type: 'text', nullable: true }) syncToken: string | null;
  @Column({ name: 'last_full_sync', type: 'datetime', nullable: true }) lastFullSync: Date | null;
  @Column({ name: 'last_incremental_sync', type: 'datetime', nullable: true }) lastIncrementalSync: Date | null;
  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 }) consecutiveFailures: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ type: 'text', default: 'ok' }) status: CalendarSyncStatus;
  @Column({ name: 'next_retry_at', type: 'datetime', nullable: true }) nextRetryAt: Date | null;
}
