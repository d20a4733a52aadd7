import { createHash } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  jwk: JWK;
  /** SPKI PEM. Google's v1/certs serves X.509 certificates; google-auth-library's verifier accepts either. */
  pem: string;
}

async function makeKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = createHash('sha1').update(String(jwk.n)).digest('hex');
  return { kid, privateKey, jwk: { ...jwk, kid, alg: 'RS256', use: 'sig' }, pem: await exportSPKI(publicKey) };
}

/** The published key plus one never published, used to forge id_tokens for security tests. */
export class KeyRing {
  private constructor(
    readonly published: SigningKey,
    readonly untrusted: SigningKey,
  ) {}

  private static shared = new Map<string, Promise<KeyRing>>();

  /**
   * RSA generation is slow; emulators of one provider started in one process share keys, which tests never
   * depend on. Each provider has its own, so one provider's id_token never verifies against another's keys.
   */
  static create(provider = 'google'): Promise<KeyRing> {
    let ring = KeyRing.shared.get(provider);
    if (!ring)
      KeyRing.shared.set(
        provider,
        (ring = Promise.all([makeKey(), makeKey()]).then(
          ([published, untrusted]) => new KeyRing(published, untrusted),
        )),
      );
    return ring;
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.published.jwk] };
  }

  pemMap(): Record<string, string> {
    return { [this.published.kid]: this.published.pem };
  }

  async sign(claims: Record<string, unknown>, which: 'emulator' | 'untrusted' = 'emulator'): Promise<string> {
    const key = which === 'untrusted' ? this.untrusted : this.published;
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
  }
}
