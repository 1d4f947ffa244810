/**
 * Bindings on MariaDB: reads on Sakila end to end (one hop, MySQL quoting in the index hint, dates and
 * booleans shaped, injection strings), and writes in a scratch database of our own: INSERT read back
 * by LAST_INSERT_ID in the same transaction, UPDATE by unique key, one row or rollback.
 */

import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localCredentials, openWorld, type World } from './bindings-helpers.ts';
import { MY, mariadbDb } from './support/services.ts';

const skip = await mariadbDb('sakila');

describe.skipIf(skip)('bindings on MariaDB', () => {
  let w: World;
  let scratch: World;
  let admin: mysql.Connection;
  const db = `flowyte_bind_${randomBytes(5).toString('hex')}`;
  beforeAll(async () => {
    admin = await mysql.createConnection({
      host: MY.host,
      port: MY.port,
      user: MY.user,
      password: MY.password,
      multipleStatements: true,
    });
    await admin.query(`
      CREATE DATABASE ${db};
      CREATE TABLE ${db}.clients (
        id INT AUTO_INCREMENT PRIMARY KEY,
        full_name VARCHAR(100) NOT NULL,
        email VARCHAR(120) UNIQUE,
        phone VARCHAR(20),
        ssn VARCHAR(11),
        visits SMALLINT UNSIGNED NOT NULL DEFAULT 0,
        vip TINYINT(1) NOT NULL DEFAULT 0,
        joined_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
        next_visit DATETIME NULL,
        balance DECIMAL(8,2) NOT NULL DEFAULT 0,
        big BIGINT NOT NULL DEFAULT 9007199254740993,
        KEY clients_phone (phone)
      );
      INSERT INTO ${db}.clients (full_name, email, phone) VALUES ('Ada Lovelace', 'ada@example.com', '+15550001'), ('Alan Turing', 'alan@example.com', '+15550002');
    `);
    w = await openWorld('mysql', localCredentials('mysql', 'sakila'));
    scratch = await openWorld('mysql', localCredentials('mysql', db));
  });
  afterAll(async () => {
    await w?.server.close();
    await scratch?.server.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin?.end();
  });

  test('a Sakila customer looked up by last name returns first name, email and phone through one hop', async () => {
    const r = await w.bind({
      toolName: 'find_customer',
      operation: 'customer.search_by_last_name',
      inputs: [{ param: 'caller_last_name', arg: 'last_name' }],
      projection: [
        { path: ['first_name'] },
        { path: ['email'] },
        { path: ['address', 'phone'], as: 'phone' },
        { path: ['create_date'] },
        { path: ['last_update'] },
        { path: ['active'] },
      ],
      enabled: true,
    });
    expect(r.status, r.text).toBe(201);
    await w.publish();
    const res = await w.invoke('find_customer', { caller_last_name: 'SMITH' });
    expect(res.status, res.text).toBe(200);
    const [expected] = await admin.query<mysql.RowDataPacket[]>(
      "SELECT c.first_name, c.email, a.phone FROM sakila.customer c LEFT JOIN sakila.address a ON a.address_id = c.address_id WHERE c.last_name = 'SMITH'",
    );
    const rows = res.json.data.result.rows;
    expect(rows.map((x: any) => [x.first_name, x.email, x.phone])).toEqual(
      expected.map((x) => [x.first_name, x.email, x.phone]),
    );
    expect(rows[0].create_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(rows[0].last_update).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(rows[0].active).toBe(true);
    for (const evil of [
      "' OR '1'='1",
      "SMITH' -- ",
      "SMITH'; DROP TABLE customer; --",
      '%',
      "\\' OR 1=1 #",
    ]) {
      const bad = await w.invoke('find_customer', { caller_last_name: evil });
      expect(bad.status, evil).toBe(200);
      expect(bad.json.data.result.rows, evil).toEqual([]);
    }
    const [[{ n }]] = await admin.query<mysql.RowDataPacket[]>('SELECT COUNT(*) n FROM sakila.customer');
    expect(n).toBe(599);
  });

  test('an unindexed filter is refused with MySQL-quoted DDL', async () => {
    const r = await w.bind({
      toolName: 'x',
      operation: 'customer.search_by_last_name',
      inputs: [{ param: 'caller_email', arg: 'email' }],
      projection: [{ path: ['first_name'] }],
    });
    expect(r.status).toBe(422);
    expect(r.json.errors[0].message).toContain(
      'CREATE INDEX `customer_email_idx` ON `sakila`.`customer` (`email`);',
    );
    const text = await w.bind({
      toolName: 'x',
      operation: 'film_text.search_by_description',
      inputs: [{ param: 'd', arg: 'description' }],
      projection: [{ path: ['title'] }],
    });
    expect(text.json.errors[0].message).toContain('(`description`(191))');
  });

  test('an insert is read back in its transaction, then an update by unique key changes exactly that row', async () => {
    const ins = await scratch.bind({
      toolName: 'add_client',
      operation: 'clients.insert',
      inputObjectMap: [
        { field: 'full_name', param: 'caller_name' },
        { field: 'email', param: 'caller_email' },
        { field: 'next_visit', param: 'appointment_time' },
        { field: 'vip', const: true },
      ],
      projection: [
        { path: ['id'] },
        { path: ['full_name'] },
        { path: ['vip'] },
        { path: ['joined_at'] },
        { path: ['next_visit'] },
        { path: ['balance'] },
        { path: ['big'] },
      ],
      enabled: true,
    });
    expect(ins.status, ins.text).toBe(201);
    expect(ins.json.data).toMatchObject({ isEnabled: false, requiresConfirmation: true });
    const upd = await scratch.bind({
      toolName: 'set_phone',
      operation: 'clients.update',
      keyColumn: 'email',
      keyParam: 'caller_email',
      inputObjectMap: [{ field: 'phone', param: 'caller_phone' }],
    });
    expect(upd.status, upd.text).toBe(201);
    expect(upd.json.data.requiresVerifiedIdentity).toBe(true);
    for (const s of [ins, upd]) await scratch.patchSkill(s.json.data.id, { isEnabled: true });
    await scratch.publish();

    const evilName = "Grace'); DELETE FROM clients; --";
    const added = await scratch.invoke(
      'add_client',
      {
        caller_name: evilName,
        caller_email: 'grace@example.com',
        appointment_time: '2030-01-02T09:30:00+01:00',
      },
      { confirmed: true },
    );
    expect(added.status, added.text).toBe(200);
    expect(added.json.data.result.row).toMatchObject({
      id: 3,
      full_name: evilName,
      vip: true,
      next_visit: '2030-01-02T09:30:00',
      balance: 0,
      big: '9007199254740993',
    });
    expect(added.json.data.result.row.joined_at).toMatch(/Z$/);
    const [[{ n }]] = await admin.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) n FROM ${db}.clients`);
    expect(n).toBe(3);
    const dup = await scratch.invoke(
      'add_client',
      { caller_name: 'Again', caller_email: 'grace@example.com', appointment_time: null },
      { confirmed: true },
    );
    expect(dup.json).toMatchObject({ code: 'write_not_applied', reason: 'duplicate' });

    const changed = await scratch.invoke(
      'set_phone',
      { caller_email: 'alan@example.com', caller_phone: '+15559999' },
      { confirmed: true, callerVerified: true },
    );
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.data.result.row).toEqual({ id: 2, email: 'alan@example.com', phone: '+15559999' });
    const none = await scratch.invoke(
      'set_phone',
      { caller_email: 'nobody@example.com', caller_phone: '0' },
      { confirmed: true, callerVerified: true },
    );
    expect(none.json).toMatchObject({ code: 'write_not_applied', reason: 'no_matching_row' });
    const [rows] = await admin.query<mysql.RowDataPacket[]>(`SELECT phone FROM ${db}.clients ORDER BY id`);
    expect(rows.map((r) => r.phone)).toEqual(['+15550001', '+15559999', null]);
  });

  test('sensitive columns are refused and integer bounds come from the native type', async () => {
    const r = await scratch.bind({
      toolName: 'bad',
      operation: 'clients.insert',
      inputObjectMap: [
        { field: 'full_name', param: 'n' },
        { field: 'ssn', param: 's' },
      ],
    });
    expect(r.json.errors).toEqual([
      { field: 'inputObjectMap[1].field', message: expect.stringMatching(/government id/) },
    ]);
    const ok = await scratch.bind({
      toolName: 'by_phone',
      operation: 'clients.search_by_phone',
      inputs: [{ param: 'caller_phone', arg: 'phone' }],
      projection: [{ path: ['visits'] }],
    });
    expect(ok.json.data.parametersSchema.properties.caller_phone).toMatchObject({
      type: 'string',
      maxLength: 20,
    });
    const visits = await scratch.bind({
      toolName: 'set_visits',
      operation: 'clients.update',
      keyColumn: 'id',
      keyParam: 'id',
      inputObjectMap: [{ field: 'visits', param: 'visits' }],
    });
    expect(visits.json.data.parametersSchema.properties.visits).toMatchObject({
      type: 'integer',
      minimum: 0,
      maximum: 65535,
    });
  });
});
