import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('settings')
export class Setting {
  @PrimaryColumn({ type: 'text' }) key: string;
  @Column({ name: 'value_encrypted', type: 'blob', nullable: true }) valueEncrypted: Buffer | null;
  @Column({ name: 'value_plain', type: 'text', nullable: true }) valuePlain: string | null;
  @Column({ name: 'is_sensitive', type: 'boolean', default: false }) isSensitive: boolean;
  @UpdateDateColumn({ name: 'updated_at' }) updatedAt: Date;
}
