import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('job_locks')
export class JobLock {
  @PrimaryColumn({ name: 'job_name', type: 'text' }) jobName: string;
  @Column({ name: 'locked_at', type: 'datetime', nullable: true }) lockedAt: Date | null;
  @Column({ name: 'locked_by', type: 'text', nullable: true }) lockedBy: string | null;
}
