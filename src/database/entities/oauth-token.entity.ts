import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { User } from './user.entity';

export type AccountType = 'home' | 'client' | 'personal';

/** One Google account a user has connected; both tokens sealed with AES-256-GCM. */
@Entity('oauth_tokens')
@Unique(['userId', 'googleAccountEmail'])
export class OAuthToken {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'user_id', type: 'integer' }) userId: number;
  @ManyToOne(() => User, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: User;
  @Column({ name: 'account_type', type: 'text' }) accountType: AccountType;
  @Column({ name: 'google_account_email', type: 'text' }) googleAccountEmail: string;
  @Column({ name: 'google_subject', type: 'text', nullable: true }) googleSubject: string | null;
  @Column({ name: 'access_token_encrypted', type: 'blob' }) accessTokenEncrypted: Buffer;
  @Column({ name: 'refresh_token_encrypted', type: 'blob' }) refreshTokenEncrypted: Buffer;
  @Column({ name: 'token_expiry', type: 'datetime', nullable: true }) tokenExpiry: Date | null;
  /** Space-separated scopes Google granted (users may untick some). */
  @Column({ type: 'text', default: '' }) scopes: string;
  /** Set when Google answered invalid_grant: the account must be connected again. */
  @Column({ name: 'needs_reauth', type: 'boolean', default: false }) needsReauth: boolean;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', nullable: true }) updatedAt: Date | null;
}
