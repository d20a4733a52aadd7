import { randomBytes } from 'node:crypto';
import { DecryptionError, open, seal } from './aes-gcm';
import { EncryptionService, EncryptionKeyMissingError } from './encryption.service';

describe('AES-256-GCM sealing', () => {
  const key = randomBytes(32);

  it('round-trips text, including empty and non-ASCII', () => {
    for (const text of ['', 'refresh-token-1//abc', 'Zürich — 会議 🗓️', 'x'.repeat(10_000)]) {
      expect(open(key, seal(key, text))).toBe(text);
    }
  });

  it('uses a fresh nonce each time, so equal plaintexts differ', () => {
    expect(seal(key, 'same').equals(seal(key, 'same'))).toBe(false);
  });

  it('rejects any flipped byte (nonce, tag or ciphertext)', () => {
    const sealed = seal(key, 'secret value');
    for (let i = 1; i < sealed.length; i++) {
      const tampered = Buffer.from(sealed);
      tampered[i] ^= 0x01;
      expect(() => open(key, tampered)).toThrow(DecryptionError);
    }
  });

  it('rejects the wrong key, a truncated value and an unknown version', () => {
    const sealed = seal(key, 'secret value');
    expect(() => open(randomBytes(32), sealed)).toThrow(/wrong encryption key/);
    expect(() => open(key, sealed.subarray(0, 20))).toThrow(/too short/);
    const v2 = Buffer.from(sealed);
    v2[0] = 2;
    expect(() => open(key, v2)).toThrow(/version/);
  });
});

describe('EncryptionService', () => {
  it('refuses to encrypt without a key, and derives distinct secrets that are not the key', () => {
    const service = new EncryptionService();
    expect(() => service.encrypt('x')).toThrow(EncryptionKeyMissingError);
    const before = service.sessionSecret();
    const key = randomBytes(32);
    service.useKey(key);
    const session = service.sessionSecret();
    expect(session.equals(before)).toBe(false);
    expect(session.equals(key)).toBe(false);
    expect(service.eventIdKey().equals(session)).toBe(false);
    expect(service.eventIdKey().equals(key)).toBe(false);
    // Deterministic: the same key gives the same session secret after a restart.
    const again = new EncryptionService();
    again.useKey(key);
    expect(again.sessionSecret().equals(session)).toBe(true);
    expect(again.decrypt(service.encrypt('hello'))).toBe('hello');
  });
});
