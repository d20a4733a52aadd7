import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'text', unique: true }) email: string;
  /** Google's `sub`: the stable key of the account (emails can change). */
  @Column({ name: 'google_user_id', type: 'text', unique: true }) googleUserId: string;
  @Column({ name: 'display_name', type: 'text', nullable: true }) displayName: string | null;
  @Column({ name: 'main_calendar_id', type: 'text', nullable: true }) mainCalendarId: string | null;
  @Column({ name: 'is_admin', type: 'boolean', default: false }) isAdmin: boolean;
  /** Bumped on logout-everywhere, removal, demotion and force re-auth; sessions carry it and are checked. */
  @Column({ name: 'session_version', type: 'integer', default: 1 }) sessionVersion: number;
  @Column({ name: 'email_alerts', type: 'boolean', default: true }) emailAlerts: boolean;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
  @Column({ name: 'last_login_at', type: 'datetime', nullable: true }) lastLoginAt: Date | null;
}
