import { Injectable } from '@nestjs/common';
import { EntityManager, LessThan, Not } from 'typeorm';
import { DatabaseService } from '../database.service';
import { DirectRows } from '../direct-rows';
import { AccountType, OAuthToken } from '../entities';

export interface StoreTokenInput {
  userId: number;
  accountType: AccountType;
  googleAccountEmail: string;
  googleSubject: string | null;
  accessTokenEncrypted: Buffer;
  refreshTokenEncrypted: Buffer | null;
  tokenExpiry: Date | null;
  scopes: string;
}

@Injectable()
export class OAuthTokenRepository {
  private rowsCache?: DirectRows<OAuthToken>;

  constructor(private readonly db: DatabaseService) {}

  /** Every sync reads its accounts' rows: a hand-written statement (DirectRows), the same entity. */
  findById(id: number): Promise<OAuthToken | null> {
    this.rowsCache ??= new DirectRows(this.db.dataSource, OAuthToken);
    return this.rowsCache.findOneBy((sql, params) => this.db.reader.query(sql, params), 'id', id);
  }

  findForUser(userId: number, id: number): Promise<OAuthToken | null> {
    return this.db.reader.getRepository(OAuthToken).findOneBy({ id, userId });
  }

  findByEmail(userId: number, googleAccountEmail: string): Promise<OAuthToken | null> {
    return this.db.reader
      .getRepository(OAuthToken)
      .findOneBy({ userId, googleAccountEmail: googleAccountEmail.toLowerCase() });
  }

  listForUser(userId: number): Promise<OAuthToken[]> {
    return this.db.reader.getRepository(OAuthToken).find({ where: { userId }, order: { id: 'ASC' } });
  }

  /**
   * How many other rows hold a grant of the same Google account (another BusyBridge user connected it too).
   * Google revokes per grant, so revoking one of them would cut the others off as well.
   */
  async countSharingAccount(
    exceptId: number,
    googleSubject: string | null,
    googleAccountEmail: string,
  ): Promise<number> {
    const repo = this.db.reader.getRepository(OAuthToken);
    const byEmail = await repo.count({
      where: { googleAccountEmail: googleAccountEmail.toLowerCase(), id: Not(exceptId) },
    });
    const bySubject = googleSubject ? await repo.count({ where: { googleSubject, id: Not(exceptId) } }) : 0;
    return Math.max(byEmail, bySubject);
  }

  /** Tokens whose access token expires before `before`, still usable (for the proactive refresh job). */
  listExpiringBefore(before: Date): Promise<OAuthToken[]> {
    return this.db.reader
      .getRepository(OAuthToken)
      .find({ where: { tokenExpiry: LessThan(before), needsReauth: false } });
  }

  /**
   * Inserts, or on reconnect of the same account updates in place (one row per user and account).
   * Returns the row and the refresh token it replaced (sealed), so the caller can revoke it.
   */
  async upsert(
    input: StoreTokenInput,
    manager?: EntityManager,
  ): Promise<{ token: OAuthToken; replacedRefreshToken: Buffer | null }> {
    const work = async (m: EntityManager) => {
      const repo = m.getRepository(OAuthToken);
      const email = input.googleAccountEmail.toLowerCase();
      const existing = await repo.findOneBy({ userId: input.userId, googleAccountEmail: email });
      if (existing) {
        const replaced = input.refreshTokenEncrypted ? existing.refreshTokenEncrypted : null;
        existing.accountType = existing.accountType === 'home' ? 'home' : input.accountType;
        existing.googleSubject = input.googleSubject ?? existing.googleSubject;
        existing.accessTokenEncrypted = input.accessTokenEncrypted;
        if (input.refreshTokenEncrypted) existing.refreshTokenEncrypted = input.refreshTokenEncrypted;
        existing.tokenExpiry = input.tokenExpiry;
        existing.scopes = input.scopes;
        existing.needsReauth = false;
        return { token: await repo.save(existing), replacedRefreshToken: replaced };
      }
      if (!input.refreshTokenEncrypted) throw new Error('A new Google account connection needs a refresh token');
      const token = await repo.save(
        repo.create({ ...input, googleAccountEmail: email, refreshTokenEncrypted: input.refreshTokenEncrypted }),
      );
      return { token, replacedRefreshToken: null };
    };
    return manager ? work(manager) : this.db.write(work);
  }

  updateAccessToken(
    id: number,
    accessTokenEncrypted: Buffer,
    tokenExpiry: Date | null,
    refreshTokenEncrypted?: Buffer,
  ): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(OAuthToken).update(id, {
        accessTokenEncrypted,
        tokenExpiry,
        ...(refreshTokenEncrypted ? { refreshTokenEncrypted } : {}),
        updatedAt: new Date(),
      });
    });
  }

  setNeedsReauth(id: number, value: boolean): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(OAuthToken).update(id, { needsReauth: value, updatedAt: new Date() });
    });
  }

  /** Force re-auth: every account of the user must be connected again. */
  markAllNeedReauth(userId: number): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(OAuthToken).update({ userId }, { needsReauth: true, updatedAt: new Date() });
    });
  }
}
