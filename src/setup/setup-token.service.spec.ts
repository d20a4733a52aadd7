import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../config/app-config';
import { OrganizationRepository } from '../database/repositories/organization.repository';
import { LOCKOUT_MS, MAX_WRONG_TRIES, SetupTokenService } from './setup-token.service';

const TOKEN = 'unit-setup-token-0123456789';

async function service(): Promise<SetupTokenService> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bb-token-'));
  const config = loadConfig({ DATABASE_PATH: path.join(dir, 'db.sqlite'), SETUP_TOKEN: TOKEN });
  const tokens = new SetupTokenService(config, { exists: async () => false } as unknown as OrganizationRepository);
  await tokens.renew();
  return tokens;
}

describe('SetupTokenService.check', () => {
  it('locks an address out for 15 minutes after 10 wrong tries, then counts afresh', async () => {
    const tokens = await service();
    const t0 = 1_000_000;
    for (let i = 0; i < MAX_WRONG_TRIES; i++)
      expect(() => tokens.check('wrong', '192.0.2.1', t0 + i)).toThrow(/Wrong setup token/);
    expect(() => tokens.check(TOKEN, '192.0.2.1', t0 + 100)).toThrow(/Too many/);
    expect(() => tokens.check(TOKEN, '192.0.2.1', t0 + LOCKOUT_MS - 1)).toThrow(/Too many/);
    expect(() => tokens.check(TOKEN, '192.0.2.1', t0 + 10 + LOCKOUT_MS)).not.toThrow();
    // One wrong try after the lockout is the first of a new ten.
    expect(() => tokens.check('wrong', '192.0.2.1', t0 + 20 + LOCKOUT_MS)).toThrow(/Wrong setup token/);
    expect(() => tokens.check(TOKEN, '192.0.2.1', t0 + 30 + LOCKOUT_MS)).not.toThrow();
  });

  it('refuses anything but the exact token, and everything once retired', async () => {
    const tokens = await service();
    for (const bad of [undefined, null, 42, {}, [TOKEN], '', TOKEN.slice(1), `${TOKEN}x`])
      expect(() => tokens.check(bad, '192.0.2.2')).toThrow();
    expect(() => tokens.check(` ${TOKEN}\n`, '192.0.2.2')).not.toThrow();
    await tokens.retire();
    expect(() => tokens.check(TOKEN, '192.0.2.3')).toThrow(/Wrong setup token/);
  });
});
