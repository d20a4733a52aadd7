import { Injectable } from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
import { DatabaseService } from '../database.service';
import { CopyState, EventMapping, OriginType } from '../entities';

export interface OriginKey {
  userId: number;
  originType: OriginType;
  originCalendarId: number;
  originEventId: string;
}

export interface MappingFactsUpdate {
  originEtag: string | null;
  originICalUid: string | null;
  originRecurringEventId: string | null;
  eventStart: Date | null;
  eventEnd: Date | null;
  isAllDay: boolean;
  isRecurring: boolean;
  userCanEdit: boolean;
  state: 'live' | 'deleted' | 'dismissed';
}

/** event_mappings: one row per origin event; the sync engine's record of what it derived from it. */
@Injectable()
export class EventMappingRepository {
  constructor(private readonly db: DatabaseService) {}

  private get repo() {
    return this.db.reader.getRepository(EventMapping);
  }

  findById(id: number): Promise<EventMapping | null> {
    return this.repo.findOneBy({ id });
  }

  findByOrigin(userId: number, originCalendarId: number, originEventId: string): Promise<EventMapping | null> {
    return this.repo.findOneBy({ userId, originCalendarId, originEventId });
  }

  findByMainEvent(userId: number, mainEventId: string): Promise<EventMapping | null> {
    return this.repo.findOneBy({ userId, mainEventId });
  }

  /** Live mappings of the same meeting (same iCalUID) on the user's other calendars (invariant 7). */
  findLiveByICalUid(userId: number, iCalUid: string): Promise<EventMapping[]> {
    return this.repo.find({ where: { userId, originICalUid: iCalUid, deletedAt: IsNull() }, order: { id: 'ASC' } });
  }

  listLiveByOriginCalendar(originCalendarId: number): Promise<EventMapping[]> {
    return this.repo.find({ where: { originCalendarId, deletedAt: IsNull() }, order: { id: 'ASC' } });
  }

  listWithMainCopy(userId: number): Promise<EventMapping[]> {
    return this.repo.find({ where: { userId, mainEventId: Not(IsNull()) }, order: { id: 'ASC' } });
  }

  listLiveForUser(userId: number): Promise<EventMapping[]> {
    return this.repo.find({ where: { userId, deletedAt: IsNull() }, order: { id: 'ASC' } });
  }

  /** The row for an origin, created if missing (its id tags every copy before the copy is written). */
  ensure(key: OriginKey, iCalUid: string | null, recurringEventId: string | null = null): Promise<EventMapping> {
    return this.db.write(async (m) => {
      const repo = m.getRepository(EventMapping);
      const found = await repo.findOneBy({
        userId: key.userId,
        originCalendarId: key.originCalendarId,
        originEventId: key.originEventId,
      });
      if (found) return found;
      return repo.save(
        repo.create({
          ...key,
          originICalUid: iCalUid,
          originRecurringEventId: recurringEventId,
          deletedAt: null,
          dismissedAt: null,
        }),
      );
    });
  }

  /** Every row of one series' occurrences (exceptions, cancellations, leftovers), retired ones included. */
  listInstancesOf(userId: number, originCalendarId: number, seriesId: string): Promise<EventMapping[]> {
    return this.repo.find({
      where: { userId, originCalendarId, originRecurringEventId: seriesId },
      order: { id: 'ASC' },
    });
  }

  /** Retires occurrence rows with their series (retention: kept as long as the series, then with it). */
  retireInstancesOf(userId: number, originCalendarId: number, seriesId: string, now = new Date()): Promise<void> {
    return this.db.write(async (m) => {
      const where =
        'user_id = :userId AND origin_calendar_id = :originCalendarId AND origin_recurring_event_id = :seriesId';
      const qb = () => m.getRepository(EventMapping).createQueryBuilder().update();
      await qb()
        .set({ mainEventId: null, mainEventEtag: null, contentHash: null, mainCopyState: 'written' })
        .where(where, { userId, originCalendarId, seriesId })
        .execute();
      await qb()
        .set({ deletedAt: now })
        .where(`${where} AND deleted_at IS NULL`, { userId, originCalendarId, seriesId })
        .execute();
      await m.query(
        `DELETE FROM busy_blocks WHERE event_mapping_id IN (SELECT id FROM event_mappings WHERE user_id = ? AND origin_calendar_id = ? AND origin_recurring_event_id = ?)`,
        [userId, originCalendarId, seriesId],
      );
    });
  }

  setMainCopy(
    id: number,
    mainEventId: string | null,
    etag: string | null,
    contentHash: string | null,
    state: CopyState = 'written',
  ): Promise<void> {
    return this.db.write(async (m) => {
      await m
        .getRepository(EventMapping)
        .update(id, { mainEventId, mainEventEtag: etag, contentHash, mainCopyState: state });
    });
  }

  setOriginEtag(id: number, originEtag: string | null): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(EventMapping).update(id, { originEtag });
    });
  }

  /** Written last for an origin, after every copy it needed has landed: its etag then marks it done. */
  recordFacts(id: number, f: MappingFactsUpdate, now = new Date()): Promise<void> {
    return this.db.write(async (m) => {
      const repo = m.getRepository(EventMapping);
      const row = await repo.findOneBy({ id });
      if (!row) return;
      await repo.update(id, {
        originEtag: f.originEtag,
        originICalUid: f.originICalUid ?? row.originICalUid,
        originRecurringEventId: f.originRecurringEventId,
        eventStart: f.eventStart ?? row.eventStart,
        eventEnd: f.eventEnd ?? row.eventEnd,
        isAllDay: f.isAllDay,
        isRecurring: f.isRecurring,
        userCanEdit: f.userCanEdit,
        deletedAt: f.state === 'deleted' ? (row.deletedAt ?? now) : null,
        dismissedAt:
          f.state === 'dismissed' ? (row.dismissedAt ?? now) : f.state === 'deleted' ? row.dismissedAt : null,
      });
    });
  }

  markDeleted(ids: number[], now = new Date()): Promise<void> {
    if (ids.length === 0) return Promise.resolve();
    return this.db.write(async (m) => {
      await m
        .getRepository(EventMapping)
        .createQueryBuilder()
        .update()
        .set({ deletedAt: now })
        .where('id IN (:...ids) AND deleted_at IS NULL', { ids })
        .execute();
    });
  }
}
