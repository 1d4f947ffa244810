/**
 * Operators: people who use the dashboard. Passwords are argon2id hashes; a login opens a
 * server-side session whose cookie value is random and stored only as a hash. The CSRF token is
 * derived from the session secret, so it needs no storage and is useless without the cookie's value.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { newId, nowIso } from '../../ids.ts';
import { SCOPES, type Scope } from '../../security/api-keys.ts';
import type { Store } from '../../store/db.ts';
import { findOrCreateOrg } from '../../store/orgs.ts';
import type { SessionsTable } from '../../store/schema.ts';
import {
  findSessionByHash,
  insertSession,
  purgeSessions,
  revokeSession,
  revokeSessionsOfUser,
  touchSession,
} from '../../store/sessions.ts';
import {
  deleteUser,
  findUser,
  findUserByEmail,
  insertUser,
  type MembershipView,
  membershipsOf,
  setPasswordHash,
  upsertMembership,
} from '../../store/users.ts';
import { LoginThrottle } from './login-throttle.ts';

/** The native argon2 binding loads on the first password hashed or checked, not at start. */
const argon2 = () => import('@node-rs/argon2');

export type Role = 'owner' | 'member';
export const ROLES: readonly Role[] = ['owner', 'member'];

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 2 * 3_600_000;
/** …and after this long in any case. */
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** last_seen_at is written at most this often per session. */
const TOUCH_EVERY_MS = 60_000;
export const MIN_PASSWORD_LENGTH = 10;

// argon2id (the library's default algorithm) with OWASP's second recommended setting: 19 MiB, t=2.
const ARGON = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Owners hold every scope; members all but key management (and no deletes, checked per request). */
export function scopesOf(role: Role): ReadonlySet<Scope> {
  return new Set(role === 'owner' ? SCOPES : SCOPES.filter((s) => s !== 'keys:write'));
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('flowyte-csrf').digest('base64url');
}

export function csrfMatches(sessionToken: string, given: string | undefined): boolean {
  if (!given) return false;
  const want = Buffer.from(csrfTokenFor(sessionToken));
  const got = Buffer.from(given);
  return got.length === want.length && timingSafeEqual(got, want);
}

export interface ActiveSession {
  session: SessionsTable;
  userId: string;
  email: string;
  memberships: MembershipView[];
}

export class Operators {
  readonly throttle = new LoginThrottle();
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly store: Store) {}

  /**
   * Creates the user (or, for an existing email, sets the password and ends their sessions) and
   * grants the role in the organization.
   */
  async createUser(input: { email: string; orgName: string; role: Role; password: string }) {
    const email = normalizeEmail(input.email);
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254)
      throw new AppError('validation_error', 'give an email address such as ana@example.com');
    if (!ROLES.includes(input.role)) throw new AppError('validation_error', 'role must be owner or member');
    if (input.password.length < MIN_PASSWORD_LENGTH)
      throw new AppError('validation_error', `the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    const org = await findOrCreateOrg(this.store, input.orgName);
    const passwordHash = await (await argon2()).hash(input.password, ARGON);
    let user = await findUserByEmail(this.store, email);
    const created = !user;
    // A new password ends the sessions opened with the old one; the same password (adding the user
    // to another organization) keeps them.
    if (user) {
      if (!(await (await argon2()).verify(user.password_hash, input.password).catch(() => false))) {
        await setPasswordHash(this.store, user.id, passwordHash);
        await revokeSessionsOfUser(this.store, user.id, nowIso());
      }
    } else {
      user = { id: newId('usr'), email, password_hash: passwordHash, created_at: nowIso() };
      await insertUser(this.store, user);
    }
    await upsertMembership(this.store, {
      user_id: user.id,
      org_id: org.id,
      role: input.role,
      created_at: nowIso(),
    });
    return { userId: user.id, email, orgId: org.id, role: input.role, created };
  }

  /** Removes the user everywhere and ends their sessions. */
  async removeUser(email: string): Promise<void> {
    const user = await findUserByEmail(this.store, normalizeEmail(email));
    if (!user || !(await deleteUser(this.store, user.id)))
      throw new AppError('not_found', `no user ${normalizeEmail(email)}`);
  }

  /**
   * Checks the password and opens a session. Unknown email and wrong password answer alike and take
   * alike long (a hash is verified either way), so the answer does not tell which accounts exist.
   */
  async login(emailGiven: string, password: string, address: string) {
    const email = normalizeEmail(emailGiven);
    const wait = this.throttle.retryAfter(email, address);
    if (wait > 0)
      throw new AppError('rate_limited', 'too many failed logins; wait before trying again', {
        retryAfter: wait,
      });
    const user = await findUserByEmail(this.store, email);
    const valid = user
      ? await (await argon2()).verify(user.password_hash, password).catch(() => false)
      : await this.dummyVerify(password);
    if (!user || !valid) {
      this.throttle.fail(email, address);
      throw new AppError('unauthorized', 'the email or password is not right');
    }
    this.throttle.succeed(email);
    const memberships = await membershipsOf(this.store, user.id);
    if (memberships.length === 0)
      throw new AppError('unauthorized', 'this account belongs to no organization');
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const session: SessionsTable = {
      id: newId('ses'),
      token_hash: sha256(token),
      user_id: user.id,
      created_at: new Date(now).toISOString(),
      last_seen_at: new Date(now).toISOString(),
      expires_at: new Date(now + SESSION_ABSOLUTE_MS).toISOString(),
      revoked_at: null,
    };
    await insertSession(this.store, session);
    void purgeSessions(this.store, new Date(now - SESSION_ABSOLUTE_MS).toISOString()).catch(() => {});
    return { token, csrfToken: csrfTokenFor(token), user: { id: user.id, email }, memberships };
  }

  /** The live session a cookie value names, or null (unknown, revoked, idle too long, or past its end). */
  async resolve(token: string): Promise<ActiveSession | null> {
    if (!token || token.length > 100) return null;
    const session = await findSessionByHash(this.store, sha256(token));
    if (!session || session.revoked_at) return null;
    const now = Date.now();
    if (Date.parse(session.expires_at) <= now) return null;
    const seen = Date.parse(session.last_seen_at);
    if (seen + SESSION_IDLE_MS <= now) return null;
    const user = await findUser(this.store, session.user_id);
    if (!user) return null;
    if (now - seen > TOUCH_EVERY_MS) await touchSession(this.store, session.id, new Date(now).toISOString());
    return {
      session,
      userId: user.id,
      email: user.email,
      memberships: await membershipsOf(this.store, user.id),
    };
  }

  async logout(sessionId: string): Promise<void> {
    await revokeSession(this.store, sessionId, nowIso());
  }

  /** Ends every live session of the user; how many there were. */
  async logoutEverywhere(email: string): Promise<number> {
    const user = await findUserByEmail(this.store, normalizeEmail(email));
    if (!user) throw new AppError('not_found', `no user ${normalizeEmail(email)}`);
    return revokeSessionsOfUser(this.store, user.id, nowIso());
  }

  private dummyVerify(password: string): Promise<boolean> {
    this.dummyHash ??= argon2().then((a) => a.hash(randomBytes(16).toString('hex'), ARGON));
    return this.dummyHash.then(async (h) => (await argon2()).verify(h, password)).then(() => false);
  }
}
