import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database.service';
import { BusyBlock, CopyState } from '../entities';

/** busy_blocks: one row per (mapping, client calendar), with the id, etag and hash of what we wrote. */
@Injectable()
export class BusyBlockRepository {
  constructor(private readonly db: DatabaseService) {}

  private get repo() {
    return this.db.reader.getRepository(BusyBlock);
  }

  listForMapping(eventMappingId: number): Promise<BusyBlock[]> {
    return this.repo.find({ where: { eventMappingId }, order: { clientCalendarId: 'ASC' } });
  }

  listForCalendar(clientCalendarId: number): Promise<BusyBlock[]> {
    return this.repo.find({ where: { clientCalendarId }, order: { id: 'ASC' } });
  }

  findByEvent(clientCalendarId: number, busyBlockEventId: string): Promise<BusyBlock | null> {
    return this.repo.findOneBy({ clientCalendarId, busyBlockEventId });
  }

  countForCalendar(clientCalendarId: number): Promise<number> {
    return this.repo.countBy({ clientCalendarId });
  }

  record(
    eventMappingId: number,
    clientCalendarId: number,
    busyBlockEventId: string,
    etag: string | null,
    contentHash: string | null,
    state: CopyState = 'written',
  ): Promise<void> {
    return this.db.write(async (m) => {
      const repo = m.getRepository(BusyBlock);
      const found = await repo.findOneBy({ eventMappingId, clientCalendarId });
      if (found) await repo.update(found.id, { busyBlockEventId, etag, contentHash, state });
      else await repo.insert({ eventMappingId, clientCalendarId, busyBlockEventId, etag, contentHash, state });
    });
  }

  remove(eventMappingId: number, clientCalendarId: number): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(BusyBlock).delete({ eventMappingId, clientCalendarId });
    });
  }

  removeForCalendar(clientCalendarId: number): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(BusyBlock).delete({ clientCalendarId });
    });
  }
}
