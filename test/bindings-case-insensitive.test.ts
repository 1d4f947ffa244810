/**
 * Case-insensitive text filters (`match: "case_insensitive"`): "Smith" finds "SMITH" where an index
 * serves it — PostgreSQL an index on lower(column), MariaDB the column's own index under its default
 * case-insensitive collation — and a refusal naming the index to create where none does.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localCredentials, openWorld, type World } from './bindings-helpers.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { MY, mariadbServer, PG, postgresServer } from './support/services.ts';

const pgSkip = await postgresServer();
const mySkip = await mariadbServer();

const PEOPLE = [
  ['SMITH', 'john@example.com'],
  ['Smith', 'jane@example.com'],
  ['Smithers', 'w@example.com'],
];

const byLastName = (match?: string) => ({
  toolName: `people_by_last_name${match ? `_${match}` : ''}`,
  operation: 'people.search_by_last_name',
  inputs: [{ param: 'caller_last_name', arg: 'last_name' }],
  projection: [{ path: ['email'] }],
  enabled: true,
  ...(match ? { match } : {}),
});

describe.skipIf(pgSkip)('PostgreSQL', () => {
  let db: ScratchDatabase;
  let w: World;
  beforeAll(async () => {
    db = await scratchPostgres('ci_match');
    const c = new pg.Client({ ...PG, database: db.name });
    await c.connect();
    await c.query(`
      create table people (id serial primary key, last_name varchar(40) not null, email text not null);
      create index people_last_name_lower on people (lower(last_name));
      create index people_email_idx on people (email);`);
    for (const [name, email] of PEOPLE)
      await c.query('insert into people (last_name, email) values ($1, $2)', [name, email]);
    await c.end();
    w = await openWorld('postgres', localCredentials('postgres', db.name));
  });
  afterAll(async () => {
    await w?.server.close();
    await db?.drop();
  });

  test('discovery marks the lower(column) index and offers the search it serves', async () => {
    const schema = await w.server.call('GET', '/api/v1/integrations/postgres/schema', { key: w.key });
    const people = schema.json.data.objects.find((o: any) => o.name === 'people');
    const field = (n: string) => people.fields.find((f: any) => f.name === n);
    expect(field('last_name')).toMatchObject({ leadingIndex: false, caseInsensitiveIndex: true });
    expect(field('email').caseInsensitiveIndex).toBeUndefined();
    const ops = schema.json.data.operations.map((o: any) => o.name);
    expect(ops).toContain('people.search_by_last_name');
  });

  test('"smith" finds SMITH and Smith, not Smithers, and the filter stays one bound value', async () => {
    const bound = await w.bind(byLastName('case_insensitive'));
    expect(bound.status, bound.text).toBe(201);
    await w.publish();
    const r = await w.invoke('people_by_last_name_case_insensitive', { caller_last_name: 'smith' });
    expect(r.status, r.text).toBe(200);
    const emails = JSON.stringify(r.json.data.result);
    expect(emails).toContain('john@example.com');
    expect(emails).toContain('jane@example.com');
    expect(emails).not.toContain('w@example.com');
    const injected = await w.invoke('people_by_last_name_case_insensitive', {
      caller_last_name: "x' or '1'='1",
    });
    expect(JSON.stringify(injected.json.data.result)).not.toContain('@example.com');
  });

  test('exact matching on a column with only a lower() index is refused with the plain index to create', async () => {
    const r = await w.bind(byLastName());
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.json.errors)).toContain('CREATE INDEX');
  });

  test('case-insensitive on a column without a lower() index is refused, naming that index', async () => {
    const r = await w.bind({
      toolName: 'people_by_email',
      operation: 'people.search_by_email',
      inputs: [{ param: 'caller_email', arg: 'email' }],
      projection: [{ path: ['last_name'] }],
      match: 'case_insensitive',
    });
    expect(r.status).toBe(422);
    const problem = r.json.errors.find((e: any) => e.field === 'match');
    expect(problem.message).toContain('(lower("email"))');
  });

  test('a write takes no match', async () => {
    const r = await w.bind({
      toolName: 'add_person',
      operation: 'people.insert',
      inputObjectMap: [
        { field: 'last_name', param: 'caller_last_name' },
        { field: 'email', param: 'caller_email' },
      ],
      projection: [{ path: ['id'] }],
      match: 'case_insensitive',
    });
    expect(r.status).toBe(422);
    expect(r.json.errors.map((e: any) => e.field)).toContain('match');
  });
});

describe.skipIf(mySkip)('MariaDB', () => {
  const name = `flowyte_ci_${randomBytes(4).toString('hex')}`;
  let w: World;
  beforeAll(async () => {
    const c = await mysql.createConnection({ ...MY, multipleStatements: true });
    await c.query(`create database ${name}; use ${name};
      create table people (id int auto_increment primary key, last_name varchar(40) not null, email varchar(80) not null, index (last_name));`);
    for (const [last, email] of PEOPLE)
      await c.query('insert into people (last_name, email) values (?, ?)', [last, email]);
    await c.end();
    w = await openWorld('mysql', localCredentials('mysql', name));
  });
  afterAll(async () => {
    await w?.server.close();
    const c = await mysql.createConnection({ ...MY });
    await c.query(`drop database if exists ${name}`);
    await c.end();
  });

  test('"smith" finds SMITH and Smith through the column index (a *_ci collation)', async () => {
    const bound = await w.bind(byLastName('case_insensitive'));
    expect(bound.status, bound.text).toBe(201);
    await w.publish();
    const r = await w.invoke('people_by_last_name_case_insensitive', { caller_last_name: 'smith' });
    expect(r.status, r.text).toBe(200);
    const emails = JSON.stringify(r.json.data.result);
    expect(emails).toContain('john@example.com');
    expect(emails).toContain('jane@example.com');
    expect(emails).not.toContain('w@example.com');
  });
});
