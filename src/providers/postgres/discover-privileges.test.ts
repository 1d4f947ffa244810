import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDiscoverySnapshot } from '../../../test/support/discovery-snapshots.ts';
import { expectedCatalog } from '../../../test/support/postgres-discover-expected.ts';
import { PG, postgresServer } from '../../../test/support/services.ts';
import { catalogMismatches } from '../../../test/support/sql-catalog-check.ts';
import type { NormalizedSchema } from '../types.ts';
import { discoverPostgres } from './discover.ts';

// Unique names: suites run in parallel against one server, and roles are cluster-wide.
const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const database = `flowyte_disc_${suffix}`;
const roles = {
  reader: `flowyte_ro_${suffix}`,
  writer: `flowyte_rw_${suffix}`,
  nobody: `flowyte_none_${suffix}`,
};

const SCHEMA_SQL = `
create schema crm;
create type status as enum ('new', 'active', 'it''s');
create domain email_address as text check (value like '%@%');
create table customer (
  id int generated always as identity primary key,
  email email_address not null unique,
  tags text[],
  statuses status[],
  status status default 'new',
  full_name text,
  search text generated always as (lower(full_name)) stored
);
comment on column customer.full_name is 'legal name of the customer';
create table profile (customer_id int primary key references customer(id), bio text);
create table crm.customer (id serial primary key, customer_id int references public.customer(id), note text);
create table crm.account (region text, code int, name text, primary key (region, code));
create table crm.contact (
  id serial primary key, region text not null, code int not null, email text, phone text,
  foreign key (region, code) references crm.account(region, code)
);
create index on crm.contact (email);
create index contact_phone_lower on crm.contact (lower(phone));
create index contact_region_partial on crm.contact (region) where region <> '';
create unique index contact_phone_unique on crm.contact (phone) include (email);
create table secret (id int primary key, value text);
create table drop_box (id int primary key, payload text);
create view customer_emails as select id, email, full_name from customer;
create view customer_summary as select status, count(*) as n from customer group by status;
create materialized view status_counts as select status, count(*) as n from customer group by status;
create unique index on status_counts (status);
create table event (id int, at date not null, customer_id int, primary key (id, at)) partition by range (at);
create table event_2024 partition of event for values from ('2024-01-01') to ('2025-01-01');
create table event_2025 partition of event for values from ('2025-01-01') to ('2026-01-01');
alter table event_2024 add foreign key (customer_id) references customer(id);
alter table event_2025 add foreign key (customer_id) references customer(id);
create index on event_2024 (customer_id);
create index on event_2025 (customer_id);
`;

const GRANTS_SQL = `
create role ${roles.reader} login;
create role ${roles.writer} login;
create role ${roles.nobody} login;
alter role ${roles.reader} in database ${database} set default_transaction_read_only = on;
grant usage on schema crm to ${roles.reader}, ${roles.writer};
grant select on all tables in schema public, crm to ${roles.reader};
revoke select on secret, drop_box from ${roles.reader};
grant insert on drop_box to ${roles.reader};
grant select, insert on customer, customer_emails to ${roles.writer};
grant select on crm.customer, crm.account to ${roles.writer};
grant update (note) on crm.customer to ${roles.writer};
grant select (id, region, code) on crm.contact to ${roles.writer};
`;

const skip = await postgresServer();

describe.skipIf(skip)('PostgreSQL discovery and privileges', () => {
  const admin = new pg.Client({ ...PG, database: 'postgres' });
  const owner = new pg.Client({ ...PG, database });
  const discoverAs = async (user: string) => {
    const client = new pg.Client({ ...PG, user, database });
    await client.connect();
    try {
      return await discoverPostgres(client);
    } finally {
      await client.end();
    }
  };
  const ops = (schema: NormalizedSchema, object: string) =>
    schema.operations
      .filter((o) => o.object === object)
      .map((o) => o.name)
      .sort();
  let full: NormalizedSchema;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database ${database}`);
    await owner.connect();
    await owner.query(SCHEMA_SQL);
    await owner.query(GRANTS_SQL);
    full = await discoverPostgres(owner);
  });

  afterAll(async () => {
    await owner.end().catch(() => {});
    await admin.query(`drop database if exists ${database} with (force)`);
    for (const role of Object.values(roles)) await admin.query(`drop role if exists ${role}`);
    await admin.end();
  });

  it('matches the catalog for the owner, across schemas', async () => {
    expect(catalogMismatches(full, await expectedCatalog(owner))).toEqual([]);
    expect(full.objects.map((o) => o.name)).toEqual([
      'account',
      'contact',
      'crm.customer',
      'customer',
      'customer_emails',
      'customer_summary',
      'drop_box',
      'event',
      'profile',
      'secret',
      'status_counts',
    ]);
  });

  it('resolves domains, enums, arrays of enums, identity and generated columns', () => {
    const customer = full.objects.find((o) => o.name === 'customer')!;
    const field = (name: string) => customer.fields.find((f) => f.name === name)!;
    expect(field('email')).toMatchObject({
      type: 'string',
      nativeType: 'email_address',
      unique: true,
      pii: 'email',
    });
    expect(field('status')).toMatchObject({
      type: 'enum',
      enumValues: ['new', 'active', "it's"],
      hasDefault: true,
    });
    expect(field('statuses')).toMatchObject({
      type: 'enum',
      isArray: true,
      enumValues: ['new', 'active', "it's"],
    });
    expect(field('id')).toMatchObject({ hasDefault: true, generated: false });
    expect(field('search')).toMatchObject({ generated: true, hasDefault: true });
    expect(field('full_name')).toMatchObject({ comment: 'legal name of the customer', pii: 'person_name' });
    const insert = full.operations.find((o) => o.name === 'customer.insert')!;
    // identity ALWAYS and generated columns take no value
    expect(insert.args.map((a) => `${a.name}${a.required ? '!' : ''}`)).toEqual([
      'email!',
      'tags',
      'statuses',
      'status',
      'full_name',
    ]);
  });

  it('relates composite, one-to-one, cross-schema and partition-declared foreign keys', () => {
    const rel = (name: string) => full.relationships.find((r) => r.name === name);
    expect(rel('contact.account')).toMatchObject({
      from: { fields: ['region', 'code'] },
      to: { object: 'account', fields: ['region', 'code'] },
      cardinality: 'many_to_one',
    });
    expect(rel('account.contacts')).toMatchObject({ cardinality: 'one_to_many' });
    expect(rel('profile.customer')?.cardinality).toBe('one_to_one');
    expect(rel('customer.profile')?.cardinality).toBe('one_to_one');
    expect(rel('crm.customer.customer')).toMatchObject({ to: { object: 'customer' } });
    expect(rel('event.customer')).toMatchObject({ from: { object: 'event', fields: ['customer_id'] } });
    expect(
      full.objects.find((o) => o.name === 'event')!.fields.find((f) => f.name === 'customer_id')!
        .leadingIndex,
    ).toBe(true);
  });

  it('reports view updatability and leaves expression and partial indexes out', () => {
    const object = (name: string) => full.objects.find((o) => o.name === name)!;
    expect(object('customer_emails').meta).toMatchObject({
      relkind: 'view',
      insertable: true,
      updatable: true,
    });
    expect(object('customer_summary').meta).toMatchObject({ insertable: false, updatable: false });
    expect(ops(full, 'customer_emails')).toEqual(['customer_emails.insert']);
    expect(object('status_counts').meta).toMatchObject({ relkind: 'materialized_view', populated: true });
    expect(ops(full, 'status_counts')).toEqual(['status_counts.search_by_status']);
    const contact = object('contact').fields;
    expect(contact.find((f) => f.name === 'region')!.leadingIndex).toBe(false);
    expect(contact.find((f) => f.name === 'phone')).toMatchObject({ leadingIndex: true, unique: true });
  });

  it('a SELECT-only role still sees keys and foreign keys, and gets read operations only', async () => {
    const schema = await discoverAs(roles.reader);
    const account = schema.objects.find((o) => o.name === 'account')!;
    expect(account.primaryKey).toEqual(['region', 'code']);
    expect(schema.relationships.map((r) => r.name)).toEqual(full.relationships.map((r) => r.name));
    expect(schema.operations.filter((o) => o.kind === 'write')).toEqual([]);
    expect(
      schema.objects.every((o) => !o.capabilities.includes('create') && !o.capabilities.includes('update')),
    ).toBe(true);
    // information_schema hides those same constraints from this role: why discovery reads pg_catalog.
    const client = new pg.Client({ ...PG, user: roles.reader, database });
    await client.connect();
    const { rows } = await client.query(`select count(*)::int as n from information_schema.table_constraints
      where constraint_type in ('PRIMARY KEY', 'FOREIGN KEY') and table_schema in ('public', 'crm')
      and table_name <> 'drop_box'`); // drop_box: its INSERT grant makes its key visible there
    await client.end();
    expect(rows[0].n).toBe(0);
  });

  it('a relation without SELECT is not returned, even with another privilege on it', async () => {
    const schema = await discoverAs(roles.reader);
    const names = schema.objects.map((o) => o.name);
    expect(names).not.toContain('secret');
    expect(names).not.toContain('drop_box');
    expect(names).toContain('customer');
    const nobody = await discoverAs(roles.nobody);
    expect(nobody.objects).toEqual([]);
  });

  it('derives write operations from table and column privileges', async () => {
    const schema = await discoverAs(roles.writer);
    expect(schema.objects.map((o) => o.name)).toEqual([
      'account',
      'contact',
      'crm.customer',
      'customer',
      'customer_emails',
    ]);
    expect(ops(schema, 'customer')).toEqual([
      'customer.get',
      'customer.insert',
      'customer.search_by_email',
      'customer.search_by_id',
    ]);
    expect(ops(schema, 'customer_emails')).toEqual(['customer_emails.insert']);
    const update = schema.operations.find((o) => o.name === 'crm.customer.update')!;
    expect(update.args).toEqual([
      { name: 'id', type: 'integer', required: true },
      { name: 'note', type: 'string', required: false },
    ]);
    expect(ops(schema, 'crm.customer')).not.toContain('crm.customer.insert');
    // column-level SELECT: only the granted columns are fields
    const contact = schema.objects.find((o) => o.name === 'contact')!;
    expect(contact.fields.map((f) => f.name)).toEqual(['id', 'region', 'code']);
    expect(schema.relationships.map((r) => r.name)).toContain('contact.account');
    // customer is visible, but profile and event are not, so their keys to it are not shown
    expect(schema.relationships.map((r) => r.name)).toEqual([
      'account.contacts',
      'contact.account',
      'crm.customer.customer',
      'customer.customers',
    ]);
  });

  it('returns exactly its snapshot for the owner, the reader and the writer', async () => {
    expectDiscoverySnapshot('postgres-privileges-owner', full);
    expectDiscoverySnapshot('postgres-privileges-reader', await discoverAs(roles.reader));
    expectDiscoverySnapshot('postgres-privileges-writer', await discoverAs(roles.writer));
  });
});
