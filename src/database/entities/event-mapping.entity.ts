import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { ClientCalendar } from './client-calendar.entity';
import { User } from './user.entity';

export type OriginType = 'main' | 'client' | 'personal';

/**
 * One row per origin event (a single event or a whole series; an exception of a series is its own row
 * pointing at the series through originRecurringEventId). originCalendarId always references a
 * client_calendars row, the user's 'main' row for main-origin events, so the UNIQUE constraint holds
 * (SQLite treats NULLs as distinct).
 */
/** What we left on a calendar for a copy: written content, or a cancelled occurrence of a copy series. */
export type CopyState = 'written' | 'cancelled';

@Entity('event_mappings')
@Unique(['userId', 'originCalendarId', 'originEventId'])
@Index('idx_event_mappings_cleanup', ['isRecurring', 'eventEnd', 'deletedAt'])
export class EventMapping {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'user_id', type: 'integer' }) userId: number;
  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: User;
  @Column({ name: 'origin_type', type: 'text' }) originType: OriginType;
  @Column({ name: 'origin_calendar_id', type: 'integer' }) originCalendarId: number;
  @ManyToOne(() => ClientCalendar) @JoinColumn({ name: 'origin_calendar_id' }) originCalendar?: ClientCalendar;
  @Column({ name: 'origin_event_id', type: 'text' }) originEventId: string;
  @Column({ name: 'origin_recurring_event_id', type: 'text', nullable: true }) originRecurringEventId: string | null;
  @Column({ name: 'origin_ical_uid', type: 'text', nullable: true }) originICalUid: string | null;
  /** etag of the origin when we last planned from it. */
  @Column({ name: 'origin_etag', type: 'text', nullable: true }) originEtag: string | null;
  @Column({ name: 'main_event_id', type: 'text', nullable: true }) mainEventId: string | null;
  /** etag of the main copy as we last wrote it: an event coming back with it is our own echo. */
  @Column({ name: 'main_event_etag', type: 'text', nullable: true }) mainEventEtag: string | null;
  @Column({ name: 'event_start', type: 'datetime', nullable: true }) eventStart: Date | null;
  @Column({ name: 'event_end', type: 'datetime', nullable: true }) eventEnd: Date | null;
  @Column({ name: 'is_all_day', type: 'boolean', default: false }) isAllDay: boolean;
  @Column({ name: 'is_recurring', type: 'boolean', default: false }) isRecurring: boolean;
  @Column({ name: 'user_can_edit', type: 'boolean', default: true }) userCanEdit: boolean;
  /** Hash of the fields we propagate, so unchanged content causes no write. */
  @Column({ name: 'content_hash', type: 'text', nullable: true }) contentHash: string | null;
  /** 'cancelled': the main copy is an occurrence of a copy series we cancelled (a cancelled exception). */
  @Column({ name: 'main_copy_state', type: 'text', default: 'written' }) mainCopyState: CopyState;
  @Column({ name: 'deleted_at', type: 'datetime', nullable: true }) deletedAt: Date | null;
  /** The user removed the main copy: nothing is recreated for this origin (not swept by retention like deleted_at). */
  @Column({ name: 'dismissed_at', type: 'datetime', nullable: true }) dismissedAt: Date | null;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', nullable: true }) updatedAt: Date | null;
}
