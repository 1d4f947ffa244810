/** RS256-signed ID tokens and their JWKS, so OpenID clients can verify what the fake issues. */
import { createSign, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';

export class IdTokenSigner {
  private key?: { privateKey: KeyObject; jwk: Record<string, unknown> };

  // Generated on first use: RSA key generation costs tens of milliseconds most tests never need.
  private keyPair() {
    if (!this.key) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const jwk = {
        ...publicKey.export({ format: 'jwk' }),
        kid: randomBytes(20).toString('hex'),
        alg: 'RS256',
        use: 'sig',
      };
      this.key = { privateKey, jwk };
    }
    return this.key;
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [this.keyPair().jwk] };
  }

  sign(claims: Record<string, unknown>): string {
    const { privateKey, jwk } = this.keyPair();
    const header = { alg: 'RS256', kid: jwk.kid, typ: 'JWT' };
    const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${encode(header)}.${encode(claims)}`;
    const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
    return `${input}.${signature}`;
  }
}
