import { Injectable } from '@nestjs/common';
import { hkdfSync, randomBytes } from 'node:crypto';
import { open, seal } from './aes-gcm';

export class EncryptionKeyMissingError extends Error {
  constructor() {
    super('No encryption key is loaded: complete the setup wizard or restore ENCRYPTION_KEY_FILE');
  }
}

// Distinct HKDF "info" labels give independent keys for each purpose, so the session secret or the
// event-id key never reveal the encryption key itself.
const SESSION_INFO = 'busybridge/session-jwt/v1';
const EVENT_ID_INFO = 'busybridge/event-ids/v1';
const WEBHOOK_INFO = 'busybridge/webhook-tokens/v1';

@Injectable()
export class EncryptionService {
  private key: Buffer | null = null;
  /** HKDF outputs for the current key: every sync run asks for the event-id key; deriving it each time was waste. */
  private readonly derived = new Map<string, Buffer>();
  // Before setup there is no key; wizard sessions are signed with a per-process secret instead.
  private readonly ephemeralSessionSecret = randomBytes(32);

  hasKey(): boolean {
    return this.key !== null;
  }

  useKey(key: Buffer): void {
    this.key = Buffer.from(key);
    this.derived.clear();
  }

  forgetKey(): void {
    this.key = null;
    this.derived.clear();
  }

  encrypt(plaintext: string): Buffer {
    return seal(this.requireKey(), plaintext);
  }

  decrypt(sealed: Buffer): string {
    return open(this.requireKey(), sealed);
  }

  sessionSecret(): Buffer {
    return this.key ? this.derive(SESSION_INFO) : this.ephemeralSessionSecret;
  }

  eventIdKey(): Buffer {
    return this.derive(EVENT_ID_INFO, true);
  }

  webhookKey(): Buffer {
    return this.derive(WEBHOOK_INFO, true);
  }

  private derive(info: string, required = false): Buffer {
    const key = required ? this.requireKey() : (this.key as Buffer);
    let secret = this.derived.get(info);
    if (!secret) this.derived.set(info, (secret = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32))));
    // A copy: a caller that fills or reuses its buffer must not change the next caller's key.
    return Buffer.from(secret);
  }

  private requireKey(): Buffer {
    if (!this.key) throw new EncryptionKeyMissingError();
    return this.key;
  }
}
