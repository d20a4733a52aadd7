import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ClientCalendar } from './client-calendar.entity';
import { CopyState, EventMapping } from './event-mapping.entity';

@Entity('busy_blocks')
@Unique(['eventMappingId', 'clientCalendarId'])
export class BusyBlock {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'event_mapping_id', type: 'integer' }) eventMappingId: number;
  @ManyToOne(() => EventMapping, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_mapping_id' })
  mapping?: EventMapping;
  @Column({ name: 'client_calendar_id', type: 'integer' }) clientCalendarId: number;
  @ManyToOne(() => ClientCalendar) @JoinColumn({ name: 'client_calendar_id' }) calendar?: ClientCalendar;
  @Column({ name: 'busy_block_event_id', type: 'text' }) busyBlockEventId: string;
  /** etag of the block as we last wrote it (echo detection, edits by others on the client). */
  @Column({ type: 'text', nullable: true }) etag: string | null;
  @Column({ name: 'content_hash', type: 'text', nullable: true }) contentHash: string | null;
  /** 'cancelled': an occurrence of a busy series we cancelled (a cancelled exception is still a record). */
  @Column({ type: 'text', default: 'written' }) state: CopyState;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
}
