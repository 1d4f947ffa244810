/**
 * Discovery output held to snapshots (test/support/discovery-snapshots.ts): the sample databases
 * and the benchmark's generated wide schema (its first 200 tables), on both engines. Discovery is
 * tuned for speed; these make sure a faster query or build step returns exactly what it did before.
 * The PostgreSQL privilege cases are snapshotted in src/providers/postgres/discover-privileges.test.ts.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { mysqlStatements, postgresStatements } from '../bench/discovery-schema.ts';
import { discoverMysql } from '../src/providers/mysql/discover.ts';
import { discoverPostgres } from '../src/providers/postgres/discover.ts';
import { expectDiscoverySnapshot } from './support/discovery-snapshots.ts';
import { MY, mariadbDb, mariadbServer, PG, postgresDb, postgresServer } from './support/services.ts';

const GENERATED_TABLES = 200;
const scratch = `flowyte_snap_${process.pid}_${randomBytes(3).toString('hex')}`;

for (const database of ['pagila', 'chinook', 'northwind']) {
  const skip = await postgresDb(database);
  it.skipIf(skip)(`PostgreSQL ${database} discovers as its snapshot`, async () => {
    const client = new pg.Client({ ...PG, database });
    await client.connect();
    try {
      expectDiscoverySnapshot(`postgres-${database}`, await discoverPostgres(client));
    } finally {
      await client.end();
    }
  });
}

for (const database of ['sakila', 'Chinook']) {
  const skip = await mariadbDb(database);
  it.skipIf(skip)(`MySQL ${database} discovers as its snapshot`, async () => {
    const conn = await mysql.createConnection({ ...MY });
    try {
      expectDiscoverySnapshot(`mysql-${database}`, await discoverMysql(conn, database));
    } finally {
      await conn.end();
    }
  });
}

describe.skipIf(await postgresServer())('PostgreSQL generated wide schema', () => {
  const admin = new pg.Client({ ...PG, database: 'postgres' });
  const client = new pg.Client({ ...PG, database: scratch });
  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create database ${scratch}`);
    await client.connect();
    await client.query(postgresStatements(GENERATED_TABLES).join(';\n'));
  });
  afterAll(async () => {
    await client.end().catch(() => {});
    await admin.query(`drop database if exists ${scratch} with (force)`);
    await admin.end();
  });

  it(`discovers its first ${GENERATED_TABLES} tables as the snapshot`, async () => {
    expectDiscoverySnapshot('postgres-generated', await discoverPostgres(client));
  });
});

describe.skipIf(await mariadbServer())('MySQL generated wide schema', () => {
  let conn: mysql.Connection;
  beforeAll(async () => {
    conn = await mysql.createConnection({ ...MY, multipleStatements: true });
    await conn.query(`create database ${scratch}`);
    await conn.query(`use ${scratch}`);
    await conn.query(mysqlStatements(GENERATED_TABLES).join(';\n'));
  });
  afterAll(async () => {
    await conn?.query(`drop database if exists ${scratch}`).catch(() => {});
    await conn?.end();
  });

  it(`discovers its first ${GENERATED_TABLES} tables as the snapshot`, async () => {
    expectDiscoverySnapshot('mysql-generated', await discoverMysql(conn, scratch), scratch);
  });
});
