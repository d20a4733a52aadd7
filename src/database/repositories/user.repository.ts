import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DatabaseService } from '../database.service';
import { User } from '../entities';

export interface NewUser {
  email: string;
  googleUserId: string;
  displayName: string | null;
  isAdmin: boolean;
  lastLoginAt: Date | null;
}

@Injectable()
export class UserRepository {
  constructor(private readonly db: DatabaseService) {}

  findById(id: number): Promise<User | null> {
    return this.db.reader.getRepository(User).findOneBy({ id });
  }

  findByGoogleId(googleUserId: string): Promise<User | null> {
    return this.db.reader.getRepository(User).findOneBy({ googleUserId });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.db.reader.getRepository(User).findOneBy({ email: email.toLowerCase() });
  }

  /** A new account (first sign-in, or the wizard's admin). Pass a manager to join an open transaction. */
  insert(values: NewUser, manager?: EntityManager): Promise<User> {
    const work = (m: EntityManager) =>
      m
        .getRepository(User)
        .save(m.getRepository(User).create({ ...values, email: values.email.toLowerCase(), sessionVersion: 1 }));
    return manager ? work(manager) : this.db.write(work);
  }

  list(): Promise<User[]> {
    return this.db.reader.getRepository(User).find({ order: { email: 'ASC' } });
  }

  admins(): Promise<User[]> {
    return this.db.reader.getRepository(User).find({ where: { isAdmin: true }, order: { id: 'ASC' } });
  }

  update(id: number, changes: Partial<Omit<User, 'id'>>): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(User).update(id, changes);
    });
  }

  /** Ends every session of the user at their next request. */
  bumpSessionVersion(id: number): Promise<void> {
    return this.db.write(async (m) => {
      await m.getRepository(User).increment({ id }, 'sessionVersion', 1);
    });
  }
}
