import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** The home organization: a single row, created by the setup wizard. */
@Entity('organization')
export class Organization {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'google_workspace_domain', type: 'text', unique: true }) googleWorkspaceDomain: string;
  @Column({ name: 'google_client_id_encrypted', type: 'blob' }) googleClientIdEncrypted: Buffer;
  @Column({ name: 'google_client_secret_encrypted', type: 'blob' }) googleClientSecretEncrypted: Buffer;
  @CreateDateColumn({ name: 'created_at' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', nullable: true }) updatedAt: Date | null;
}
