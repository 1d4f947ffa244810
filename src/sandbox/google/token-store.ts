/**
 * Grants, authorization codes and tokens. A grant is one user's consent to one client; its access
 * and refresh tokens die together when either is revoked, as at Google.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FakeClock, FakeSettings } from './clock.ts';
import * as ids from './ids.ts';

export interface Grant {
  id: number;
  clientId: string;
  email: string;
  scopes: string[];
  revoked: boolean;
  refreshToken?: string;
}

export interface AccessTokenRecord {
  token: string;
  grant: Grant;
  expiresAtMs: number;
}

export interface AuthCodeRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  email: string;
  scopes: string[];
  codeChallenge: string;
  offline: boolean;
  nonce?: string;
  expiresAtMs: number;
  used: boolean;
}

export interface TokenCounters {
  /** refresh_token grants that produced a new access token. */
  refreshGrants: number;
  /** authorization_code grants that produced tokens. */
  codeGrants: number;
  revocations: number;
}

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
  grant: Grant;
}

export class TokenStore {
  readonly grants: Grant[] = [];
  readonly access = new Map<string, AccessTokenRecord>();
  readonly refresh = new Map<string, Grant>();
  readonly codes = new Map<string, AuthCodeRecord>();
  readonly counters: TokenCounters = { refreshGrants: 0, codeGrants: 0, revocations: 0 };
  private nextGrantId = 1;

  constructor(
    private readonly clock: FakeClock,
    private readonly settings: FakeSettings,
  ) {}

  reset(): void {
    this.grants.length = 0;
    this.access.clear();
    this.refresh.clear();
    this.codes.clear();
    Object.assign(this.counters, { refreshGrants: 0, codeGrants: 0, revocations: 0 });
  }

  createCode(input: Omit<AuthCodeRecord, 'code' | 'expiresAtMs' | 'used'>): AuthCodeRecord {
    const record: AuthCodeRecord = {
      ...input,
      code: ids.authCode(),
      expiresAtMs: this.clock.now() + this.settings.codeTtlSeconds * 1000,
      used: false,
    };
    this.codes.set(record.code, record);
    return record;
  }

  /** Starts a grant and issues its first access token (and a refresh token for offline access). */
  issue(clientId: string, email: string, scopes: string[], offline: boolean): IssuedTokens {
    const grant: Grant = { id: this.nextGrantId++, clientId, email, scopes, revoked: false };
    if (offline) {
      grant.refreshToken = ids.refreshToken();
      this.refresh.set(grant.refreshToken, grant);
    }
    this.grants.push(grant);
    return { ...this.mintAccess(grant), refreshToken: grant.refreshToken, grant };
  }

  mintAccess(grant: Grant): { accessToken: string; expiresIn: number } {
    const expiresIn = this.settings.accessTokenTtlSeconds;
    const token = ids.accessToken();
    this.access.set(token, { token, grant, expiresAtMs: this.clock.now() + expiresIn * 1000 });
    return { accessToken: token, expiresIn };
  }

  /** A live access token's record, or undefined when unknown, expired or revoked. */
  checkAccess(token: string): AccessTokenRecord | undefined {
    const record = this.access.get(token);
    if (!record || record.grant.revoked || record.expiresAtMs <= this.clock.now()) return undefined;
    return record;
  }

  liveRefresh(token: string): Grant | undefined {
    const grant = this.refresh.get(token);
    return grant && !grant.revoked ? grant : undefined;
  }

  /** Revokes the grant behind an access or refresh token; false when the token is unknown or dead. */
  revoke(token: string): boolean {
    const grant = this.access.get(token)?.grant ?? this.refresh.get(token);
    if (!grant || grant.revoked) return false;
    grant.revoked = true;
    this.counters.revocations++;
    return true;
  }

  /** Test switch: every access token issued so far is now expired. */
  expireAllAccessTokens(): number {
    const now = this.clock.now();
    for (const record of this.access.values()) record.expiresAtMs = Math.min(record.expiresAtMs, now);
    return this.access.size;
  }

  /** Simulates the user removing the app's access in their Google account. */
  revokeAllFor(email: string): void {
    for (const grant of this.grants) if (grant.email === email) grant.revoked = true;
  }
}

/** RFC 7636 S256: BASE64URL(SHA256(verifier)) compared in constant time. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
