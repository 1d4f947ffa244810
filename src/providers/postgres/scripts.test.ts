import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG, postgresServer } from '../../../test/support/services.ts';
import { dollarQuoted, postgresScripts } from './scripts.ts';

describe('postgresScripts (text)', () => {
  it('returns a fresh role and strong password each time, shown in the script once', () => {
    const a = postgresScripts({ database: 'shop', tables: [] });
    const b = postgresScripts({ database: 'shop', tables: [] });
    expect(a.role).not.toBe(b.role);
    expect(a.password).not.toBe(b.password);
    expect(a.password.length).toBeGreaterThanOrEqual(32);
    expect(a.readOnly.split(a.password)).toHaveLength(2);
    expect(a.write).toBeNull();
  });

  it('quotes identifiers by doubling embedded quotes', () => {
    const s = postgresScripts({ database: 'we"ird db', tables: ['sales.or"ders', "it's"] });
    expect(s.readOnly).toContain('GRANT CONNECT ON DATABASE "we""ird db"');
    expect(s.write).toContain('GRANT INSERT, UPDATE ON TABLE "sales"."or""ders", "it\'s"');
    // Inside the DO block the names are SQL literals too.
    expect(s.write).toContain(`'"it''s"'::regclass`);
  });

  it('grants only INSERT and UPDATE in the write script, never DELETE', () => {
    const s = postgresScripts({ database: 'shop', tables: ['orders', 'orders'] });
    expect(s.write).toMatch(/GRANT INSERT, UPDATE ON TABLE "orders" TO/);
    expect(s.write).not.toMatch(/DELETE ON|TRUNCATE/);
    expect(s.write!.match(/"orders"/g)?.length).toBe(2); // deduplicated: once in GRANT, once in the DO block
  });

  it('picks a dollar-quote tag that the body cannot close early', () => {
    expect(dollarQuoted('select 1')).toMatch(/^\$flowyte\$\n/);
    const tricky = dollarQuoted("'$flowyte$'::regclass");
    const tag = tricky.split('\n')[0];
    expect(tag).not.toBe('$flowyte$');
    expect(tricky.endsWith(tag)).toBe(true);
  });

  it.each([
    ['an empty database', { database: '', tables: [] }],
    ['a NUL in a database name', { database: 'a\u0000b', tables: [] }],
    ['a control character in a table name', { database: 'shop', tables: ['or\nders'] }],
    ['a 64-byte name (PostgreSQL would truncate it)', { database: 'd'.repeat(64), tables: [] }],
    ['too many tables', { database: 'shop', tables: Array.from({ length: 201 }, (_, i) => `t${i}`) }],
  ])('refuses %s with validation_error', (_label, request) => {
    expect(() => postgresScripts(request)).toThrow(expect.objectContaining({ code: 'validation_error' }));
  });
});

describe.skipIf(await postgresServer())('postgresScripts executed on a scratch database', () => {
  const database = `flowyte "scripts" ${randomBytes(4).toString('hex')}`;
  const scripts = postgresScripts({ database, tables: ['items', 'sales.or"ders'] });
  let admin: pg.Client;
  let db: pg.Client;

  const asRole = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ ...PG, database, user: scripts.role, password: scripts.password });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const denied = (p: Promise<unknown>) => expect(p).rejects.toMatchObject({ code: '42501' });

  beforeAll(async () => {
    admin = new pg.Client({ ...PG, database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    db = new pg.Client({ ...PG, database });
    await db.connect();
    await db.query(`
      CREATE TABLE items (id serial PRIMARY KEY, name text);
      CREATE TABLE secret (id int);
      CREATE SCHEMA sales;
      CREATE TABLE sales."or""ders" (id serial PRIMARY KEY, note text);
      INSERT INTO items (name) VALUES ('a');
    `);
  });

  afterAll(async () => {
    await db?.end();
    await admin?.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    await admin?.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(scripts.role)}`);
    await admin?.end();
  });

  it('the read-only script lets the role read every table and write none', async () => {
    await db.query(scripts.readOnly);
    await asRole(async (c) => {
      expect((await c.query('SELECT name FROM items')).rows).toEqual([{ name: 'a' }]);
      expect((await c.query('SELECT count(*)::int AS n FROM sales."or""ders"')).rows).toEqual([{ n: 0 }]);
      await denied(c.query(`INSERT INTO items (name) VALUES ('x')`));
      await denied(c.query('DELETE FROM items'));
      await denied(c.query(`UPDATE items SET name = 'y'`));
    });
  });

  it('tables created later by the same owner are readable too (default privileges)', async () => {
    await db.query('CREATE TABLE later (id int); INSERT INTO later VALUES (1)');
    await asRole(async (c) => expect((await c.query('SELECT id FROM later')).rows).toEqual([{ id: 1 }]));
  });

  it('the write script allows INSERT and UPDATE (with serial ids) on the named tables only', async () => {
    await db.query(scripts.write!);
    await asRole(async (c) => {
      await c.query(`INSERT INTO items (name) VALUES ('b')`);
      await c.query(`UPDATE items SET name = 'c' WHERE name = 'b'`);
      await c.query(`INSERT INTO sales."or""ders" (note) VALUES ('n')`);
      await denied(c.query('DELETE FROM items'));
      await denied(c.query('INSERT INTO secret VALUES (1)'));
    });
  });
});
