import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedMysqlCatalog } from '../../../test/support/mysql-discover-expected.ts';
import { MY, mariadbServer } from '../../../test/support/services.ts';
import { catalogMismatches } from '../../../test/support/sql-catalog-check.ts';
import type { NormalizedSchema } from '../types.ts';
import { discoverMysql } from './discover.ts';

// Unique names: suites run in parallel against one server, and users are server-wide.
const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const database = `flowyte_disc_${suffix}`;
const users = {
  reader: `fl_ro_${suffix}`,
  writer: `fl_rw_${suffix}`,
  schemaWide: `fl_db_${suffix}`,
  nobody: `fl_no_${suffix}`,
};
const password = randomBytes(12).toString('hex');

const SCHEMA_SQL = [
  `create table customer (
    id int auto_increment primary key, email varchar(100) not null unique, doc json,
    active tinyint(1) not null default 1, full_name varchar(100) comment 'legal name',
    search varchar(100) as (lower(full_name)) stored, status enum('new','active','it''s') default 'new',
    tags set('a','b'))`,
  'create table account (region varchar(10), code int, name varchar(50), primary key (region, code))',
  `create table contact (
    id int auto_increment primary key, region varchar(10) not null, code int not null, email varchar(100),
    phone varchar(30), note text, foreign key (region, code) references account(region, code),
    key (email), fulltext key (note), unique key (phone))`,
  'create table profile (customer_id int primary key, bio text, foreign key (customer_id) references customer(id))',
  'create table secret (id int primary key, value text)',
  'create table drop_box (id int primary key, payload text)',
  'create view customer_emails as select id, email from customer',
  'create view customer_summary as select status, count(*) as n from customer group by status',
];

const GRANTS = (db: string) => [
  ...Object.values(users).map((u) => `create user '${u}'@'%' identified by '${password}'`),
  `grant select on ${db}.customer to '${users.reader}'@'%'`,
  `grant select on ${db}.account to '${users.reader}'@'%'`,
  `grant select on ${db}.contact to '${users.reader}'@'%'`,
  `grant select on ${db}.profile to '${users.reader}'@'%'`,
  `grant select on ${db}.customer_emails to '${users.reader}'@'%'`,
  `grant select on ${db}.customer_summary to '${users.reader}'@'%'`,
  `grant insert on ${db}.drop_box to '${users.reader}'@'%'`,
  `grant select, insert on ${db}.customer to '${users.writer}'@'%'`,
  `grant select on ${db}.account to '${users.writer}'@'%'`,
  `grant select (id, region, code, note), update (note) on ${db}.contact to '${users.writer}'@'%'`,
  `grant select, insert, update on ${db}.* to '${users.schemaWide}'@'%'`,
];

const skip = await mariadbServer();

describe.skipIf(skip)('MySQL/MariaDB discovery and privileges', () => {
  let root: mysql.Connection;
  let full: NormalizedSchema;
  const discoverAs = async (user: string) => {
    const conn = await mysql.createConnection({ host: MY.host, port: MY.port, user, password });
    try {
      return await discoverMysql(conn, database);
    } finally {
      await conn.end();
    }
  };
  const ops = (schema: NormalizedSchema, object: string) =>
    schema.operations
      .filter((o) => o.object === object)
      .map((o) => o.name)
      .sort();

  beforeAll(async () => {
    root = await mysql.createConnection({ ...MY });
    await root.query(`create database ${database}`);
    await root.query(`use ${database}`);
    for (const sql of SCHEMA_SQL) await root.query(sql);
    for (const sql of GRANTS(database)) await root.query(sql);
    full = await discoverMysql(root, database);
  });

  afterAll(async () => {
    if (!root) return;
    for (const u of Object.values(users)) await root.query(`drop user if exists '${u}'@'%'`);
    await root.query(`drop database if exists ${database}`);
    await root.end();
  });

  it('matches the catalog for root', async () => {
    expect(catalogMismatches(full, await expectedMysqlCatalog(root, database))).toEqual([]);
  });

  it('reads JSON, generated columns, enums, sets, booleans and comments', () => {
    const field = (name: string) =>
      full.objects.find((o) => o.name === 'customer')!.fields.find((f) => f.name === name)!;
    expect(field('doc')).toMatchObject({ type: 'json' });
    expect(field('search')).toMatchObject({ generated: true, hasDefault: true });
    expect(field('status')).toMatchObject({
      type: 'enum',
      enumValues: ['new', 'active', "it's"],
      hasDefault: true,
    });
    expect(field('tags').type).toBe('string');
    expect(field('active')).toMatchObject({ type: 'boolean', hasDefault: true });
    expect(field('full_name')).toMatchObject({ comment: 'legal name', pii: 'person_name' });
    expect(field('id')).toMatchObject({ hasDefault: true, primaryKey: true, unique: true });
    const insert = full.operations.find((o) => o.name === 'customer.insert')!;
    expect(insert.args.map((a) => `${a.name}${a.required ? '!' : ''}`)).toEqual([
      'id',
      'email!',
      'doc',
      'active',
      'full_name',
      'status',
      'tags',
    ]);
  });

  it('relates composite and one-to-one keys and skips FULLTEXT for leading columns', () => {
    const rel = (name: string) => full.relationships.find((r) => r.name === name);
    expect(rel('contact.account')).toMatchObject({
      from: { fields: ['region', 'code'] },
      to: { fields: ['region', 'code'] },
      cardinality: 'many_to_one',
    });
    expect(rel('profile.customer')?.cardinality).toBe('one_to_one');
    const contact = full.objects.find((o) => o.name === 'contact')!.fields;
    expect(contact.find((f) => f.name === 'note')!.leadingIndex).toBe(false);
    expect(contact.find((f) => f.name === 'phone')).toMatchObject({ leadingIndex: true, unique: true });
  });

  it('a SELECT-only user sees keys and foreign keys and gets read operations only', async () => {
    const schema = await discoverAs(users.reader);
    expect(schema.objects.map((o) => o.name)).toEqual([
      'account',
      'contact',
      'customer',
      'customer_emails',
      'customer_summary',
      'profile',
    ]);
    expect(schema.objects.find((o) => o.name === 'account')!.primaryKey).toEqual(['region', 'code']);
    expect(schema.relationships.map((r) => r.name)).toEqual(full.relationships.map((r) => r.name));
    expect(schema.operations.filter((o) => o.kind === 'write')).toEqual([]);
  });

  it('a table without SELECT is not returned, even with another privilege on it', async () => {
    const reader = await discoverAs(users.reader);
    expect(reader.objects.map((o) => o.name)).not.toContain('drop_box');
    expect(reader.objects.map((o) => o.name)).not.toContain('secret');
    expect((await discoverAs(users.nobody)).objects).toEqual([]);
  });

  it('derives writes from table, column and database-wide grants', async () => {
    const writer = await discoverAs(users.writer);
    expect(writer.objects.map((o) => o.name)).toEqual(['account', 'contact', 'customer']);
    expect(ops(writer, 'customer')).toEqual([
      'customer.get',
      'customer.insert',
      'customer.search_by_email',
      'customer.search_by_id',
    ]);
    const contact = writer.objects.find((o) => o.name === 'contact')!;
    expect(contact.fields.map((f) => f.name)).toEqual(['id', 'region', 'code', 'note']);
    expect(writer.operations.find((o) => o.name === 'contact.update')!.args).toEqual([
      { name: 'id', type: 'integer', required: true },
      { name: 'note', type: 'string', required: false },
    ]);
    // MariaDB hides a foreign key's target from information_schema (and refuses SHOW CREATE TABLE)
    // when the user holds only column-level grants on the referencing table: nothing to discover.
    const [[{ version }]] = (await root.query('select version() as version')) as any;
    const expected = /mariadb/i.test(version) ? [] : ['account.contacts', 'contact.account'];
    expect(writer.relationships.map((r) => r.name)).toEqual(expected);

    const wide = await discoverAs(users.schemaWide);
    expect(wide.objects.map((o) => o.name)).toEqual(full.objects.map((o) => o.name));
    expect(ops(wide, 'secret')).toEqual([
      'secret.get',
      'secret.insert',
      'secret.search_by_id',
      'secret.update',
    ]);
  });
});
