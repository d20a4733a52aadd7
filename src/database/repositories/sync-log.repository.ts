import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DatabaseService } from '../database.service';
import { SyncLog, SyncLogStatus } from '../entities';

export interface SyncLogEntry {
  userId?: number | null;
  calendarId?: number | null;
  action: string;
  status: SyncLogStatus;
  details?: Record<string, unknown>;
}

export interface SyncLogQuery {
  userId?: number;
  calendarId?: number;
  action?: string;
  status?: SyncLogStatus;
  from?: Date;
  to?: Date;
  page?: number;
  pageSize?: number;
}

@Injectable()
export class SyncLogRepository {
  constructor(private readonly db: DatabaseService) {}

  async add(entry: SyncLogEntry, manager?: EntityManager): Promise<void> {
    const row = {
      userId: entry.userId ?? null,
      calendarId: entry.calendarId ?? null,
      action: entry.action,
      status: entry.status,
      details: entry.details ? JSON.stringify(entry.details) : null,
    };
    if (manager) {
      await manager.getRepository(SyncLog).insert(row);
      return;
    }
    await this.db.write((m) =>
      m
        .getRepository(SyncLog)
        .insert(row)
        .then(() => undefined),
    );
  }

  async query(q: SyncLogQuery): Promise<{ items: SyncLog[]; total: number; page: number; pageSize: number }> {
    const pageSize = Math.min(Math.max(q.pageSize ?? 50, 1), 200);
    const page = Math.max(q.page ?? 1, 1);
    const qb = this.db.reader.getRepository(SyncLog).createQueryBuilder('l');
    if (q.userId !== undefined) qb.andWhere('l.user_id = :userId', { userId: q.userId });
    if (q.calendarId !== undefined) qb.andWhere('l.calendar_id = :calendarId', { calendarId: q.calendarId });
    if (q.action) qb.andWhere('l.action = :action', { action: q.action });
    if (q.status) qb.andWhere('l.status = :status', { status: q.status });
    if (q.from) qb.andWhere('l.created_at >= :from', { from: q.from });
    if (q.to) qb.andWhere('l.created_at <= :to', { to: q.to });
    const [items, total] = await qb
      .orderBy('l.id', 'DESC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items, total, page, pageSize };
  }
}
