/**
 * The store on both engines: SQLite (the embedded default) and PostgreSQL (a scratch database on the
 * local server). Organizations, API keys, connections, idempotency records, and the vault.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiKeys } from '../src/core/access/index.ts';
import { connectionAad } from '../src/core/connections/index.ts';
import { Vault, VaultError } from '../src/security/vault.ts';
import { listApiKeysPage } from '../src/store/api-keys.ts';
import {
  deleteConnection,
  getConnection,
  listConnections,
  upsertConnection,
} from '../src/store/connections.ts';
import { openStore, ping, type Store } from '../src/store/db.ts';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  getIdempotencyRecord,
  IDEMPOTENCY_TTL_MS,
  purgeIdempotencyKeys,
  releaseIdempotencyKey,
} from '../src/store/idempotency.ts';
import { claimLease, purgeExpiredLeases, releaseLease } from '../src/store/leases.ts';
import { findOrCreateOrg, listOrgs } from '../src/store/orgs.ts';
import { prepared } from '../src/store/prepared.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { postgresServer } from './support/services.ts';

const pgSkip = await postgresServer();

interface Engine {
  name: 'sqlite' | 'postgres';
  skip: string | null;
}

const engines: Engine[] = [
  { name: 'sqlite', skip: null },
  { name: 'postgres', skip: pgSkip },
];

describe.each(engines)('store on $name', ({ name, skip }) => {
  let dataDir: string;
  let scratch: ScratchDatabase | null = null;
  let store: Store;
  let vault: Vault;
  const opened: Store[] = [];

  const open = async () => {
    const s = await openStore({ dataDir, databaseUrl: scratch?.url ?? null });
    opened.push(s);
    return s;
  };

  beforeAll(async () => {
    if (skip) return;
    dataDir = mkdtempSync(path.join(os.tmpdir(), `flowyte-store-${name}-`));
    if (name === 'postgres') scratch = await scratchPostgres();
    store = await open();
    vault = await Vault.open(store, { masterKey: null, previousMasterKey: null, dataDir });
  });

  afterAll(async () => {
    for (const s of opened) await s.close().catch(() => {});
    await scratch?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const it = skip ? test.skip : test;

  it('uses the engine asked for, migrates once, and reopening applies nothing twice', async () => {
    expect(store.engine).toBe(name);
    expect(store.file === null).toBe(name === 'postgres');
    const again = await open();
    await ping(again);
    const applied = await again.db
      .selectFrom('flowyte_migrations' as any)
      .select('name')
      .execute();
    expect(applied.length).toBeGreaterThanOrEqual(1);
    expect(new Set(applied.map((r: any) => r.name)).size).toBe(applied.length);
  });

  it('a prepared query compiles once and runs with each call’s values, constants kept, in any order', async () => {
    const a = await findOrCreateOrg(store, 'Prepared A');
    const b = await findOrCreateOrg(store, 'Prepared B');
    // The values come in the opposite order to their parameters, around a constant of the query.
    const byNameOrId = prepared<{ id: string; name: string }, [id: string, name: string]>((db, id, name) =>
      db
        .selectFrom('organizations')
        .select(['id', 'name'])
        .where((eb) => eb.or([eb('name', '=', name), eb('id', '=', id)]))
        .where('name', '!=', 'never such an org')
        .orderBy('name'),
    );
    expect(await byNameOrId(store.db, a.id, 'Prepared B')).toEqual([
      { id: a.id, name: 'Prepared A' },
      { id: b.id, name: 'Prepared B' },
    ]);
    expect(await byNameOrId(store.db, b.id, 'nobody')).toEqual([{ id: b.id, name: 'Prepared B' }]);
    expect(await byNameOrId(store.db, 'org_none', 'nobody')).toEqual([]);
    const unused = prepared<{ id: string }, [id: string, name: string]>((db, id) =>
      db.selectFrom('organizations').select('id').where('id', '=', id),
    );
    await expect(unused(store.db, a.id, 'x')).rejects.toThrow('every value must appear once');
  });

  it('finds or creates an organization by name, once even under concurrency', async () => {
    const rows = await Promise.all(Array.from({ length: 6 }, () => findOrCreateOrg(store, 'Clinic Rossi')));
    expect(new Set(rows.map((r) => r.id)).size).toBe(1);
    expect((await listOrgs(store)).filter((o) => o.name === 'Clinic Rossi')).toHaveLength(1);
  });

  it('stores API keys only as keyed hashes, scopes lookups, and revokes within an organization only', async () => {
    const keys = await ApiKeys.open(store, vault);
    const a = await keys.create({ orgName: 'keys-a', scopes: ['integrations:read'] });
    const b = await keys.create({ orgName: 'keys-b', scopes: ['agents:read'] });
    const row = await store.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', a.keyId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(a.key);
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.last4).toBe(a.key.slice(-4));
    expect((await keys.authenticate(a.key))?.orgId).toBe(a.orgId);
    await expect(keys.revoke(a.keyId, b.orgId)).rejects.toMatchObject({ code: 'not_found' });
    expect(await keys.authenticate(a.key)).not.toBeNull();
    await keys.revoke(a.keyId, a.orgId);
    expect(await keys.authenticate(a.key)).toBeNull();
    await expect(keys.revoke(a.keyId, a.orgId)).rejects.toMatchObject({ code: 'not_found' });
    expect((await listApiKeysPage(store, b.orgId, null, 10)).map((k) => k.id)).toEqual([b.keyId]);
  });

  it('an expired key stops authenticating; a second instance sees the same keys', async () => {
    const keys = await ApiKeys.open(store, vault);
    const short = await keys.create({ orgName: 'keys-exp', scopes: ['agents:read'], expiresInMs: 30 });
    expect(await keys.authenticate(short.key)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 60));
    expect(await keys.authenticate(short.key)).toBeNull();
    const other = await ApiKeys.open(
      await open(),
      await Vault.open(store, { masterKey: null, previousMasterKey: null, dataDir }),
    );
    const live = await keys.create({ orgName: 'keys-exp', scopes: ['agents:read'] });
    expect((await other.authenticate(live.key))?.keyId).toBe(live.keyId);
  });

  it('a reconnect replaces the credentials of a connection in place, keeping its id', async () => {
    const org = await findOrCreateOrg(store, 'conn-replace');
    const seal = (v: unknown) => (id: string) => vault.encryptJson(v, connectionAad(org.id, id));
    const first = await upsertConnection(
      store,
      org.id,
      'postgres',
      { status: 'connected', accountLabel: 'PG · a' },
      seal({ p: 1 }),
    );
    const second = await upsertConnection(
      store,
      org.id,
      'postgres',
      { status: 'connected', accountLabel: 'PG · b' },
      seal({ p: 2 }),
    );
    expect(second.id).toBe(first.id);
    const row = (await getConnection(store, org.id, 'postgres'))!;
    expect(row.account_label).toBe('PG · b');
    expect(vault.decryptJson(row.secret, connectionAad(org.id, row.id))).toEqual({ p: 2 });
    expect(await listConnections(store, org.id)).toHaveLength(1);
  });

  it('a reconnect that fails while sealing leaves the earlier connection exactly as it was', async () => {
    const org = await findOrCreateOrg(store, 'conn-atomic');
    await upsertConnection(store, org.id, 'mysql', { status: 'connected', accountLabel: 'good' }, (id) =>
      vault.encryptJson({ ok: true }, connectionAad(org.id, id)),
    );
    const before = await getConnection(store, org.id, 'mysql');
    await expect(
      upsertConnection(store, org.id, 'mysql', { status: 'connected', accountLabel: 'bad' }, () => {
        throw new Error('sealing failed');
      }),
    ).rejects.toThrow('sealing failed');
    expect(await getConnection(store, org.id, 'mysql')).toEqual(before);
  });

  it('concurrent first connects of one kind end with exactly one connection', async () => {
    const org = await findOrCreateOrg(store, 'conn-race');
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        upsertConnection(store, org.id, 'postgres', { status: 'connected', accountLabel: `try ${i}` }, (id) =>
          vault.encryptJson({ i }, connectionAad(org.id, id)),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const rows = await listConnections(store, org.id);
    expect(rows).toHaveLength(1);
    expect(vault.decryptJson<{ i: number }>(rows[0].secret, connectionAad(org.id, rows[0].id)).i).toBeTypeOf(
      'number',
    );
  });

  it('connections are per organization: another org neither sees nor deletes them', async () => {
    const a = await findOrCreateOrg(store, 'conn-own-a');
    const b = await findOrCreateOrg(store, 'conn-own-b');
    await upsertConnection(store, a.id, 'postgres', { status: 'connected', accountLabel: 'A' }, (id) =>
      vault.encrypt('x', connectionAad(a.id, id)),
    );
    expect(await getConnection(store, b.id, 'postgres')).toBeUndefined();
    expect(await deleteConnection(store, b.id, 'postgres')).toBe(false);
    expect(await deleteConnection(store, a.id, 'postgres')).toBe(true);
    expect(await listConnections(store, a.id)).toEqual([]);
  });

  it('idempotency: claim, see the pending claim, complete, release only pending, reclaim after expiry', async () => {
    const org = 'org_idem';
    expect(await claimIdempotencyKey(store, org, 'k1', 'h1')).toBeNull();
    expect(await claimIdempotencyKey(store, org, 'k1', 'h1')).toMatchObject({
      state: 'pending',
      request_hash: 'h1',
    });
    expect(await claimIdempotencyKey(store, 'org_other', 'k1', 'h9')).toBeNull();
    await completeIdempotencyKey(store, org, 'k1', 201, 'sealed');
    await releaseIdempotencyKey(store, org, 'k1');
    expect(await getIdempotencyRecord(store, org, 'k1')).toMatchObject({
      state: 'done',
      status_code: 201,
      response: 'sealed',
    });
    expect(await claimIdempotencyKey(store, org, 'k2', 'h2')).toBeNull();
    await releaseIdempotencyKey(store, org, 'k2');
    expect(await getIdempotencyRecord(store, org, 'k2')).toBeUndefined();
    const old = new Date(Date.now() - IDEMPOTENCY_TTL_MS - 1000).toISOString();
    await store.db
      .updateTable('idempotency_keys')
      .set({ created_at: old })
      .where('org_id', '=', org)
      .where('key', '=', 'k1')
      .execute();
    expect(await claimIdempotencyKey(store, org, 'k1', 'h-new')).toBeNull();
    await purgeIdempotencyKeys(store, new Date(Date.now() + 1000));
    expect(await getIdempotencyRecord(store, org, 'k1')).toBeUndefined();
  });

  it('concurrent claims of one key: exactly one wins', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => claimIdempotencyKey(store, 'org_race', 'same', 'h')),
    );
    expect(results.filter((r) => r === null)).toHaveLength(1);
  });

  it('vault: a ciphertext names its key version and opens only where it was sealed', async () => {
    const org = await findOrCreateOrg(store, 'vault-bind');
    const mk = (kind: string, secret: string) =>
      upsertConnection(store, org.id, kind, { status: 'connected', accountLabel: kind }, (id) =>
        vault.encryptJson({ secret }, connectionAad(org.id, id)),
      );
    const one = await mk('postgres', 'pw-one');
    const two = await mk('mysql', 'pw-two');
    expect(one.secret).toMatch(/^fv1:\d+:/);
    expect(one.secret).not.toContain('pw-one');
    // A ciphertext copied onto another row must not open there.
    await store.db.updateTable('connections').set({ secret: one.secret }).where('id', '=', two.id).execute();
    const copied = (await getConnection(store, org.id, 'mysql'))!;
    expect(() => vault.decryptJson(copied.secret, connectionAad(org.id, copied.id))).toThrow(VaultError);
    expect(vault.decryptJson(one.secret, connectionAad(org.id, one.id))).toEqual({ secret: 'pw-one' });
    const tampered = one.secret.slice(0, -4) + (one.secret.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => vault.decrypt(tampered, connectionAad(org.id, one.id))).toThrow(VaultError);
    expect(() => vault.decrypt('plaintext', 'x')).toThrow(VaultError);
  });

  it('vault: rotating the master key keeps everything decryptable, and a new instance starts with the new key', async () => {
    const s = await open();
    const src = { masterKey: null, previousMasterKey: null, dataDir };
    const v1 = await Vault.open(s, src);
    const sealed = v1.encrypt('canary-before-rotation', 'aad:1');
    const { file } = await v1.rotateMaster();
    expect(file).toBe(path.join(dataDir, 'master.key'));
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    expect(v1.decrypt(sealed, 'aad:1')).toBe('canary-before-rotation');
    const v2 = await Vault.open(await open(), src);
    expect(v2.decrypt(sealed, 'aad:1')).toBe('canary-before-rotation');
    expect(v1.decrypt(v2.encrypt('after', 'aad:2'), 'aad:2')).toBe('after');
  });

  it('leases: one holder at a time even under a race, released only by the holder, free again after expiry', async () => {
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    const claim = (owner: string, at: number) => claimLease(store, 'conv:x', owner, t(at), t(at + 60));
    const raced = await Promise.all(['a', 'b', 'c', 'd'].map((o) => claim(o, 0)));
    expect(raced.filter(Boolean)).toHaveLength(1);
    const holder = ['a', 'b', 'c', 'd'][raced.indexOf(true)];
    const other = holder === 'a' ? 'b' : 'a';
    await releaseLease(store, 'conv:x', other); // not the holder: nothing happens
    expect(await claim(other, 30)).toBe(false);
    expect(await claim(other, 61)).toBe(true); // the holder's lease ran out
    await releaseLease(store, 'conv:x', other);
    expect(await claim(holder, 62)).toBe(true);
    expect(await claimLease(store, 'conv:y', 'z', t(0), t(1))).toBe(true);
    expect(await purgeExpiredLeases(store, t(100))).toBe(1); // conv:y only; conv:x runs to t(122)
    expect(await claim(other, 100)).toBe(false);
    expect(await purgeExpiredLeases(store, t(200))).toBe(1);
    expect(await claim(other, 200)).toBe(true);
  });

  it('vault: with FLOWYTE_MASTER_KEY, the store opens under the new key (or old + previous), not the old alone', async () => {
    const s = await open();
    const current = await Vault.open(s, { masterKey: null, previousMasterKey: null, dataDir });
    const oldKey = Buffer.from(readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim(), 'base64');
    const sealed = current.encrypt('env-rotation', 'aad:env');
    const newKey = Buffer.alloc(32, 7);
    await current.rotateMaster(newKey);
    const env = (masterKey: Buffer, previous: Buffer | null) => ({
      masterKey: masterKey.toString('base64'),
      previousMasterKey: previous?.toString('base64') ?? null,
      dataDir: '/nonexistent',
    });
    expect((await Vault.open(s, env(newKey, null))).decrypt(sealed, 'aad:env')).toBe('env-rotation');
    expect((await Vault.open(s, env(newKey, oldKey))).decrypt(sealed, 'aad:env')).toBe('env-rotation');
    await expect(Vault.open(s, env(oldKey, null))).rejects.toThrow(VaultError);
  });
});
