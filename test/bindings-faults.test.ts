/**
 * Typed failures of bound SQL skills, over HTTP against real servers: a database that went down
 * (provider_error, retryable), a statement that outlives its timeout (provider_timeout), credentials
 * that stopped working (needs_reconnect), and a reconnect that gets a fresh pool.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postgresPools } from '../src/providers/postgres/execute.ts';
import { localCredentials, openWorld, type World } from './bindings-helpers.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { MY, mariadbServer, PG, postgresServer } from './support/services.ts';
import { missingTools, startPostgres, type ThrowawayServer } from './support/tls-servers.ts';

const pgSkip = await postgresServer();
const myskip = await mariadbServer();

const readBody = (table: string) => ({
  toolName: 'find_thing',
  operation: `${table}.get`,
  inputs: [{ param: 'id', arg: 'id' }],
  projection: [{ path: ['name'] }],
  enabled: true,
});

describe.skipIf(pgSkip || missingTools('postgres'))('a PostgreSQL that goes down', () => {
  let server: ThrowawayServer;
  let w: World;
  beforeAll(async () => {
    server = await startPostgres({ tls: false });
    const admin = new pg.Client({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
      database: server.database,
    });
    await admin.connect();
    await admin.query(
      "create table things (id int primary key, name text); insert into things values (1, 'one')",
    );
    await admin.end();
    w = await openWorld('postgres', {
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
      database: server.database,
      sslmode: 'disable',
    });
  });
  afterAll(async () => {
    await w?.server.close();
    await server?.stop();
  });

  test('answers provider_error with retryable: true once the server is gone', async () => {
    expect((await w.bind(readBody('things'))).status).toBe(201);
    await w.publish();
    const ok = await w.invoke('find_thing', { id: 1 });
    expect(ok.json.data.result.rows).toEqual([{ name: 'one' }]);
    await server.stop();
    const down = await w.invoke('find_thing', { id: 1 });
    expect(down.status, down.text).toBe(502);
    expect(down.json).toMatchObject({ code: 'provider_error', retryable: true });
    expect(down.text).not.toMatch(/ECONNREFUSED|SELECT|password/i);
  });
});

describe.skipIf(pgSkip)('PostgreSQL: slow statements and revoked credentials', () => {
  let db: ScratchDatabase;
  let admin: pg.Client;
  const role = `flowyte_rv_${randomBytes(4).toString('hex')}`;
  const worlds: World[] = [];
  beforeAll(async () => {
    db = await scratchPostgres('bindf');
    admin = new pg.Client({ ...PG, database: db.name });
    await admin.connect();
    await admin.query(
      "create table things (id int primary key, name text); insert into things values (1, 'one'), (2, 'two')",
    );
    await admin.query(
      `create role ${role} login; grant connect on database ${db.name} to ${role}; grant usage on schema public to ${role}; grant select on things to ${role}`,
    );
  });
  afterAll(async () => {
    for (const w of worlds) await w.server.close();
    await admin?.end();
    await db?.drop();
    const c = new pg.Client({ ...PG, database: 'postgres' });
    await c.connect();
    await c.query(`drop role if exists ${role}`);
    await c.end();
  });

  test('a statement held past its timeout answers provider_timeout, then the skill works again', async () => {
    const w = await openWorld('postgres', localCredentials('postgres', db.name));
    worlds.push(w);
    const r = await w.bind(readBody('things'));
    expect(r.json.data.executionConfig).toEqual({ statementTimeoutMs: 5000 });
    expect(
      (await w.patchSkill(r.json.data.id, { executionConfig: { statementTimeoutMs: 300 } })).status,
    ).toBe(200);
    await w.publish();
    expect((await w.invoke('find_thing', { id: 2 })).json.data.result.rows).toEqual([{ name: 'two' }]);
    const locker = new pg.Client({ ...PG, database: db.name });
    await locker.connect();
    try {
      await locker.query('begin; lock table things in access exclusive mode');
      const started = Date.now();
      const slow = await w.invoke('find_thing', { id: 2 });
      expect(slow.status, slow.text).toBe(504);
      expect(slow.json).toMatchObject({ code: 'provider_timeout' });
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    expect((await w.invoke('find_thing', { id: 2 })).status).toBe(200);
  });

  test('a write the database cancelled at its timeout says it changed nothing', async () => {
    const w = await openWorld('postgres', localCredentials('postgres', db.name));
    worlds.push(w);
    const bound = await w.bind({
      toolName: 'add_thing',
      operation: 'things.insert',
      inputObjectMap: [
        { field: 'id', param: 'id' },
        { field: 'name', param: 'name' },
      ],
      projection: [{ path: ['name'] }],
    });
    expect(bound.status, bound.text).toBe(201);
    const id = bound.json.data.id;
    await w.patchSkill(id, { isEnabled: true, executionConfig: { statementTimeoutMs: 300 } });
    await w.publish();
    const locker = new pg.Client({ ...PG, database: db.name });
    await locker.connect();
    try {
      await locker.query('begin; lock table things in access exclusive mode');
      const slow = await w.invoke('add_thing', { id: 9, name: 'nine' }, { confirmed: true });
      expect(slow.status, slow.text).toBe(504);
      expect(slow.json).toMatchObject({ code: 'provider_timeout', mayHaveApplied: false });
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    expect((await admin.query('select count(*)::int n from things where id = 9')).rows[0].n).toBe(0);
  });

  test('credentials that stop working answer needs_reconnect; a reconnect gets a fresh pool', async () => {
    const w = await openWorld('postgres', {
      ...localCredentials('postgres', db.name),
      user: role,
      password: 'first-password',
    });
    worlds.push(w);
    expect((await w.bind(readBody('things'))).status).toBe(201);
    await w.publish();
    expect((await w.invoke('find_thing', { id: 1 })).status).toBe(200);
    await admin.query(`alter role ${role} nologin`);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [role]);
    const refused = await w.invoke('find_thing', { id: 1 });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.code).toBe('needs_reconnect');
    expect(refused.text).not.toMatch(/first-password/);
    // The connection shows it, and later calls stop at once instead of trying the database again.
    const listed = await w.server.call('GET', '/api/v1/integrations', { key: w.key });
    expect(listed.json.data.find((c: any) => c.kind === 'postgres').status).toBe('needs_reconnect');

    await admin.query(`alter role ${role} login`);
    await w.connect({ ...localCredentials('postgres', db.name), user: role, password: 'second-password' });
    const back = await w.invoke('find_thing', { id: 1 });
    expect(back.status, back.text).toBe(200);
    const sessions = await admin.query(
      "select count(*)::int n from pg_stat_activity where usename = $1 and application_name = 'flowyte-skills'",
      [role],
    );
    expect(sessions.rows[0].n).toBeGreaterThan(0);
    // Changing credentials again replaces the pool rather than adding one.
    const pools = postgresPools.size;
    await w.connect({ ...localCredentials('postgres', db.name), user: role, password: 'third-password' });
    expect((await w.invoke('find_thing', { id: 1 })).status).toBe(200);
    expect(postgresPools.size).toBe(pools);
  });
});

describe.skipIf(myskip)('MariaDB: a statement held past its timeout', () => {
  const db = `flowyte_bindf_${randomBytes(4).toString('hex')}`;
  let admin: mysql.Connection;
  let w: World;
  beforeAll(async () => {
    admin = await mysql.createConnection({
      host: MY.host,
      port: MY.port,
      user: MY.user,
      password: MY.password,
      multipleStatements: true,
    });
    await admin.query(
      `CREATE DATABASE ${db}; CREATE TABLE ${db}.things (id INT PRIMARY KEY, name VARCHAR(20)); INSERT INTO ${db}.things VALUES (1, 'one');`,
    );
    w = await openWorld('mysql', localCredentials('mysql', db));
  });
  afterAll(async () => {
    await w?.server.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin?.end();
  });

  test('answers provider_timeout while the table is locked, then works again', async () => {
    const r = await w.bind(readBody('things'));
    await w.patchSkill(r.json.data.id, { executionConfig: { statementTimeoutMs: 300 } });
    await w.publish();
    expect((await w.invoke('find_thing', { id: 1 })).json.data.result.rows).toEqual([{ name: 'one' }]);
    const locker = await mysql.createConnection({
      host: MY.host,
      port: MY.port,
      user: MY.user,
      password: MY.password,
      database: db,
    });
    try {
      await locker.query('LOCK TABLES things WRITE');
      const slow = await w.invoke('find_thing', { id: 1 });
      expect(slow.status, slow.text).toBe(504);
      expect(slow.json.code).toBe('provider_timeout');
    } finally {
      await locker.query('UNLOCK TABLES');
      await locker.end();
    }
    expect((await w.invoke('find_thing', { id: 1 })).status).toBe(200);
  });
});
