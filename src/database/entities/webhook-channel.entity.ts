import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ClientCalendar } from './client-calendar.entity';
import { User } from './user.entity';

@Entity('webhook_channels')
@Index('idx_webhook_expiration', ['expiration'])
export class WebhookChannel {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'user_id', type: 'integer' }) userId: number;
  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: User;
  /** 'main' | 'client' | 'personal' */
  @Column({ name: 'calendar_type', type: 'text' }) calendarType: string;
  @Column({ name: 'client_calendar_id', type: 'integer', nullable: true }) clientCalendarId: number | null;
  @ManyToOne(() => ClientCalendar, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_calendar_id' })
  calendar?: ClientCalendar;
  @Column({ name: 'channel_id', type: 'text', unique: true }) channelId: string;
  @Column({ name: 'resource_id', type: 'text' }) resourceId: string;
  /** SHA-256 of the per-channel secret token; the token itself is only ever sent to Google. */
  @Column({ name: 'token_hash', type: 'text', nullable: true }) tokenHash: string | null;
  @Column({ type: 'datetime' }) expiration: Date;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
}
