import { randomBytes } from 'node:crypto';
import mysqlPromise from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MY, mariadbServer } from '../../../test/support/services.ts';
import { mysqlScripts } from './scripts.ts';

describe('mysqlScripts (text)', () => {
  it('returns a fresh user and strong password each time, shown in the script once', () => {
    const a = mysqlScripts({ database: 'shop', tables: [] });
    const b = mysqlScripts({ database: 'shop', tables: [] });
    expect(a.role).not.toBe(b.role);
    expect(a.password).not.toBe(b.password);
    expect(a.readOnly.split(a.password)).toHaveLength(2);
    expect(a.readOnly).toContain(`GRANT SELECT ON \`shop\`.* TO '${a.role}'@'%';`);
    expect(a.write).toBeNull();
  });

  it('quotes identifiers by doubling embedded backticks and keeps dots inside a name', () => {
    const s = mysqlScripts({ database: 'we`ird.db', tables: ['or`ders', 'other.t'] });
    expect(s.readOnly).toContain('ON `we``ird.db`.* TO');
    expect(s.write).toContain('GRANT INSERT, UPDATE ON `we``ird.db`.`or``ders` TO');
    expect(s.write).toContain('GRANT INSERT, UPDATE ON `other`.`t` TO');
    expect(s.write).not.toMatch(/DELETE ON/);
  });

  it.each([
    ['an empty database', { database: ' ', tables: [] }],
    ['a NUL in a table name', { database: 'shop', tables: ['a\u0000'] }],
    ['a 65-character name', { database: 'd'.repeat(65), tables: [] }],
  ])('refuses %s with validation_error', (_label, request) => {
    expect(() => mysqlScripts(request)).toThrow(expect.objectContaining({ code: 'validation_error' }));
  });
});

describe.skipIf(await mariadbServer())('mysqlScripts executed on a scratch database', () => {
  const database = `flowyte scr\`q_${randomBytes(4).toString('hex')}`;
  const scripts = mysqlScripts({ database, tables: ['items'] });
  const db = mysqlPromise.escapeId(database, true);
  let admin: mysqlPromise.Connection;

  const asUser = async <T>(fn: (c: mysqlPromise.Connection) => Promise<T>): Promise<T> => {
    const c = await mysqlPromise.createConnection({
      ...MY,
      user: scripts.role,
      password: scripts.password,
      database,
    });
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const denied = (p: Promise<unknown>) =>
    expect(p).rejects.toMatchObject({ code: 'ER_TABLEACCESS_DENIED_ERROR' });

  beforeAll(async () => {
    admin = await mysqlPromise.createConnection({ ...MY, multipleStatements: true });
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.query(
      `CREATE TABLE ${db}.items (id int AUTO_INCREMENT PRIMARY KEY, name varchar(20));
       CREATE TABLE ${db}.secret (id int);
       INSERT INTO ${db}.items (name) VALUES ('a');`,
    );
  });

  afterAll(async () => {
    await admin?.query(`DROP USER IF EXISTS ?@'%'`, [scripts.role]);
    await admin?.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin?.end();
  });

  it('the read-only script creates a user that signs in with the password, reads, and cannot write', async () => {
    await admin.query(scripts.readOnly);
    await asUser(async (c) => {
      const [rows] = await c.query('SELECT name FROM items');
      expect(rows).toEqual([{ name: 'a' }]);
      await denied(c.query(`INSERT INTO items (name) VALUES ('x')`));
      await denied(c.query('DELETE FROM items'));
    });
    await expect(
      mysqlPromise.createConnection({ ...MY, user: scripts.role, password: 'not-it', database }),
    ).rejects.toMatchObject({ code: 'ER_ACCESS_DENIED_ERROR' });
  });

  it('the write script allows INSERT and UPDATE on the named table only', async () => {
    await admin.query(scripts.write!);
    await asUser(async (c) => {
      await c.query(`INSERT INTO items (name) VALUES ('b')`);
      await c.query(`UPDATE items SET name = 'c' WHERE name = 'b'`);
      await denied(c.query('DELETE FROM items'));
      await denied(c.query('INSERT INTO secret VALUES (1)'));
    });
  });
});
