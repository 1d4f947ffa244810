/**
 * Write bindings on PostgreSQL, end to end over HTTP, in a scratch database of our own (the shared
 * sample databases stay untouched): they land disabled and gated, insert or update exactly one row
 * (anything else rolls back), refuse sensitive PII and generated columns, and bind every value.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { localCredentials, openWorld, type World } from './bindings-helpers.ts';
import { type ScratchDatabase, scratchPostgres } from './support/scratch-db.ts';
import { PG, postgresServer } from './support/services.ts';

const skip = await postgresServer();

const SCHEMA = `
  create table clients (
    id serial primary key,
    full_name text not null,
    email text unique,
    phone text,
    ssn text,
    password_hash text,
    date_of_birth date,
    card_number text,
    notes text,
    name_length int generated always as (length(full_name)) stored,
    created_at timestamptz not null default now()
  );
  create index clients_phone_idx on clients (phone);
  create table bookings (
    id bigserial primary key,
    client_id int not null references clients(id),
    starts_at timestamptz not null,
    party_size int not null check (party_size > 0),
    status text not null default 'booked',
    reference text not null unique
  );
  create table tags (code text unique, label text);
  insert into clients (full_name, email, phone) values
    ('Ada Lovelace', 'ada@example.com', '+15550001'), ('Alan Turing', 'alan@example.com', '+15550002');
  insert into tags values ('a', 'first'), ('b', 'second');
`;

describe.skipIf(skip)('write bindings on PostgreSQL', () => {
  let db: ScratchDatabase;
  let sql: pg.Client;
  let w: World;
  beforeAll(async () => {
    db = await scratchPostgres('bindw');
    sql = new pg.Client({ ...PG, database: db.name });
    await sql.connect();
    await sql.query(SCHEMA);
    w = await openWorld('postgres', localCredentials('postgres', db.name));
  });
  afterAll(async () => {
    await w?.server.close();
    await sql?.end();
    await db?.drop();
  });

  const count = async (q: string, values: unknown[] = []) => Number((await sql.query(q, values)).rows[0].n);
  const bookingBody = (toolName: string, extra: Record<string, unknown> = {}) => ({
    toolName,
    operation: 'bookings.insert',
    inputObjectMap: [
      { field: 'client_id', param: 'client_id' },
      { field: 'starts_at', param: 'appointment_time' },
      { field: 'party_size', param: 'party_size' },
      { field: 'reference', param: 'booking_reference' },
      { field: 'status', const: 'booked' },
    ],
    projection: [
      { path: ['id'] },
      { path: ['reference'] },
      { path: ['starts_at'] },
      { path: ['client', 'full_name'], as: 'client_name' },
    ],
    ...extra,
  });

  test('an insert lands disabled even when enabled: true, gated, and with canonical parameters', async () => {
    const r = await w.bind(bookingBody('book_table', { enabled: true }));
    expect(r.status, r.text).toBe(201);
    const skill = r.json.data;
    expect(skill).toMatchObject({
      skillType: 'native_sql',
      isWrite: true,
      isEnabled: false,
      requiresConfirmation: true,
      nonParallelizable: true,
      requiresVerifiedIdentity: false,
    });
    expect(skill.source).toEqual({ kind: 'postgres', binding: 'bookings.insert' });
    expect(skill.parametersSchema.properties.appointment_time).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    expect(skill.parametersSchema.properties.party_size).toMatchObject({ type: 'integer', minimum: 1 });
    expect(skill.parametersSchema.required.sort()).toEqual([
      'appointment_time',
      'booking_reference',
      'client_id',
      'party_size',
    ]);
    expect(r.text).not.toMatch(/INSERT|SELECT|RETURNING/);
    expect(r.json.data.compiled.outputs.map((o: any) => o.name)).toEqual([
      'id',
      'reference',
      'starts_at',
      'client_name',
    ]);
  });

  test('an enabled insert asks for confirmation, then writes exactly one row and returns it through the join', async () => {
    const created = await w.bind(bookingBody('book_visit'));
    const id = created.json.data.id;
    expect((await w.patchSkill(id, { isEnabled: true })).status).toBe(200);
    await w.publish();
    const args = {
      client_id: 1,
      appointment_time: '2030-05-01T18:30:00+02:00',
      party_size: 4,
      booking_reference: 'R-1',
    };
    const before = await count('select count(*) n from bookings');
    const gated = await w.invoke('book_visit', args);
    expect(gated.status).toBe(409);
    expect(gated.json.code).toBe('confirmation_required');
    expect(await count('select count(*) n from bookings')).toBe(before);
    const done = await w.invoke('book_visit', args, { confirmed: true });
    expect(done.status, done.text).toBe(200);
    expect(done.json.data.result.row).toMatchObject({
      reference: 'R-1',
      starts_at: '2030-05-01T16:30:00.000Z',
      client_name: 'Ada Lovelace',
    });
    expect(typeof done.json.data.result.row.id).toBe('string'); // bigint: an exact string
    expect(await count('select count(*) n from bookings')).toBe(before + 1);
    // A duplicate reference: the database refuses, nothing is written, the agent learns why.
    const dup = await w.invoke('book_visit', args, { confirmed: true });
    expect(dup.status).toBe(422);
    expect(dup.json).toMatchObject({ code: 'write_not_applied', reason: 'duplicate' });
    const missing = await w.invoke(
      'book_visit',
      { ...args, client_id: 999, booking_reference: 'R-2' },
      { confirmed: true },
    );
    expect(missing.json).toMatchObject({ code: 'write_not_applied', reason: 'missing_reference' });
    expect(await count('select count(*) n from bookings')).toBe(before + 1);
  });

  test('injection strings are stored as plain data and touch nothing else', async () => {
    await w.newAgent();
    const created = await w.bind(bookingBody('book_inj'));
    await w.patchSkill(created.json.data.id, { isEnabled: true });
    await w.publish();
    const evil = "x'); delete from bookings; --";
    const before = await count('select count(*) n from bookings');
    const r = await w.invoke(
      'book_inj',
      { client_id: 2, appointment_time: '2030-05-02T10:00:00Z', party_size: 2, booking_reference: evil },
      { confirmed: true },
    );
    expect(r.status, r.text).toBe(200);
    expect(r.json.data.result.row.reference).toBe(evil);
    expect(await count('select count(*) n from bookings')).toBe(before + 1);
    expect(await count('select count(*) n from bookings where reference = $1', [evil])).toBe(1);
  });

  test('an update by unique key needs confirmation and a verified caller, and changes exactly one row', async () => {
    await w.newAgent();
    const r = await w.bind({
      toolName: 'update_phone',
      operation: 'clients.update',
      keyColumn: 'email',
      keyParam: 'caller_email',
      inputObjectMap: [{ field: 'phone', param: 'caller_phone' }],
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json.data).toMatchObject({
      isEnabled: false,
      requiresConfirmation: true,
      requiresVerifiedIdentity: true,
      nonParallelizable: true,
    });
    await w.patchSkill(r.json.data.id, { isEnabled: true });
    await w.publish();
    const args = { caller_email: 'alan@example.com', caller_phone: '+15559999' };
    expect((await w.invoke('update_phone', args, { confirmed: true })).json.code).toBe(
      'verification_required',
    );
    const done = await w.invoke('update_phone', args, { confirmed: true, callerVerified: true });
    expect(done.status, done.text).toBe(200);
    expect(done.json.data.result.row).toEqual({ id: 2, email: 'alan@example.com', phone: '+15559999' });
    expect((await sql.query('select phone from clients order by id')).rows.map((x) => x.phone)).toEqual([
      '+15550001',
      '+15559999',
    ]);
    const none = await w.invoke(
      'update_phone',
      { caller_email: "nobody@example.com' or '1'='1", caller_phone: '0' },
      { confirmed: true, callerVerified: true },
    );
    expect(none.status).toBe(400); // not an email: refused before it reaches the database
    const nobody = await w.invoke(
      'update_phone',
      { caller_email: 'nobody@example.com', caller_phone: '0' },
      { confirmed: true, callerVerified: true },
    );
    expect(nobody.status).toBe(422);
    expect(nobody.json).toMatchObject({ code: 'write_not_applied', reason: 'no_matching_row' });
    expect((await sql.query('select phone from clients order by id')).rows.map((x) => x.phone)).toEqual([
      '+15550001',
      '+15559999',
    ]);
  });

  test('an update that would touch more than one row is rolled back', async () => {
    await w.newAgent();
    const r = await w.bind({
      toolName: 'relabel',
      operation: 'tags.update',
      keyColumn: 'code',
      keyParam: 'code',
      inputObjectMap: [{ field: 'label', param: 'label' }],
    });
    expect(r.status, r.text).toBe(201);
    await w.patchSkill(r.json.data.id, { isEnabled: true });
    await w.publish();
    // The key stops being unique after binding: the one-row guarantee must still hold.
    await sql.query('alter table tags drop constraint tags_code_key');
    await sql.query("insert into tags values ('a', 'third')");
    const res = await w.invoke(
      'relabel',
      { code: 'a', label: 'changed' },
      { confirmed: true, callerVerified: true },
    );
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: 'write_not_applied', reason: 'too_many_rows' });
    expect(
      (await sql.query("select label from tags where code = 'a' order by label")).rows.map((x) => x.label),
    ).toEqual(['first', 'third']);
  });

  test('sensitive PII, generated columns, missing required fields and non-unique keys are refused together', async () => {
    const r = await w.bind({
      toolName: 'bad_write',
      operation: 'clients.insert',
      inputObjectMap: [
        { field: 'ssn', param: 'ssn' },
        { field: 'password_hash', const: 'x' },
        { field: 'date_of_birth', param: 'date' },
        { field: 'card_number', param: 'card' },
        { field: 'name_length', const: 3 },
        { field: 'notes', const: 42 },
        { field: 'phone', param: 'party_size' },
      ],
    });
    expect(r.status).toBe(422);
    expect(r.json.code).toBe('binding_invalid');
    const byField = (f: string) =>
      r.json.errors
        .filter((e: any) => e.field === f)
        .map((e: any) => e.message)
        .join(' | ');
    expect(byField('inputObjectMap[0].field')).toMatch(/government id/);
    expect(byField('inputObjectMap[1].field')).toMatch(/credential/);
    expect(byField('inputObjectMap[2].field')).toMatch(/date of_birth|date of birth/);
    expect(byField('inputObjectMap[3].field')).toMatch(/payment card/);
    expect(byField('inputObjectMap[4].field')).toMatch(/generated|cannot be written/);
    expect(byField('inputObjectMap[5].const')).toMatch(/type mismatch/);
    expect(byField('inputObjectMap[6].param')).toMatch(/type mismatch.*party_size/);
    expect(byField('inputObjectMap')).toMatch(/missing required field clients\.full_name/);
    const key = await w.bind({
      toolName: 'bad_key',
      operation: 'clients.update',
      keyColumn: 'phone',
      keyParam: 'caller_phone',
      inputObjectMap: [{ field: 'phone', param: 'p' }],
    });
    expect(key.json.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['keyColumn']));
    const skills = await w.server.call('GET', `/api/v1/agents/${w.agent}/skills`, { key: w.key });
    expect(skills.json.data.map((s: any) => s.name)).not.toContain('bad_write');
  });
});
