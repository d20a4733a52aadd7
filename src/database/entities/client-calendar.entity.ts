import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OAuthToken } from './oauth-token.entity';
import { User } from './user.entity';

/**
 * A calendar BusyBridge reads. Besides the 'client' and 'personal' rows, each user's main calendar
 * has a row of type 'main' so that sync state, webhooks, logs and mappings treat all calendars alike.
 */
export type CalendarType = 'main' | 'client' | 'personal';

@Entity('client_calendars')
export class ClientCalendar {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'user_id', type: 'integer' }) userId: number;
  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: User;
  @Column({ name: 'oauth_token_id', type: 'integer' }) oauthTokenId: number;
  @ManyToOne(() => OAuthToken) @JoinColumn({ name: 'oauth_token_id' }) oauthToken?: OAuthToken;
  @Column({ name: 'google_calendar_id', type: 'text' }) googleCalendarId: string;
  @Column({ name: 'display_name', type: 'text', nullable: true }) displayName: string | null;
  @Column({ name: 'calendar_type', type: 'text', default: 'client' }) calendarType: CalendarType;
  /** The account's access role when connected (owner/writer/reader). */
  @Column({ name: 'access_role', type: 'text', nullable: true }) accessRole: string | null;
  @Column({ name: 'is_active', type: 'boolean', default: true }) isActive: boolean;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
  /** A client calendar's rules for what may block it (JSON); null: the defaults. */
  @Column({ name: 'policy', type: 'text', nullable: true }) policy: string | null;
  @Column({ name: 'disconnected_at', type: 'datetime', nullable: true }) disconnectedAt: Date | null;
}
