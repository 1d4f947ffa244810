/**
 * Discovery benchmark (issue 5): median discovery time of a generated 1,000-table schema, on
 * PostgreSQL against kysely-codegen's and pg-introspection's introspection of the same database in
 * the same run, and on MariaDB/MySQL. Scratch databases are created and dropped here.
 *
 * Both databases are built before anything is timed (InnoDB keeps working for seconds after 1,000
 * CREATE TABLEs), and the contenders run interleaved, round after round, so a burst of load on the
 * machine lands on all of them alike.
 *
 * Same database and warm connections on every side, but not the same information: kysely-codegen
 * reads relations and columns (type, nullability, default, serial, comment), enums, domains and
 * partition names; discoverPostgres also reads primary, unique and foreign keys, indexes (leading
 * columns, lower() expressions), table and column privileges, view updatability, identity and
 * generated columns, and builds fields, PII classes, relationships and operations from them. Its
 * ratio compares a larger job; the baseline is not handicapped (it even runs its queries side by
 * side on a pool).
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Kysely, PostgresDialect } from 'kysely';
import { type PostgresDB, PostgresIntrospector } from 'kysely-codegen';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { makeIntrospectionQuery, parseIntrospectionResults } from 'pg-introspection';
import { discoverMysql } from '../src/providers/mysql/discover.ts';
import { discoverPostgres } from '../src/providers/postgres/discover.ts';
import type { NormalizedSchema } from '../src/providers/types.ts';
import { mysqlStatements, postgresStatements, TABLES } from './discovery-schema.ts';

const RUNS = Number(process.env.BENCH_DISCOVERY_RUNS ?? 9);
const PG = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
};
const MY = {
  host: process.env.MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.MYSQL_PORT ?? 3306),
  user: process.env.MYSQL_USER ?? 'root',
  password: process.env.MYSQL_PASSWORD ?? '',
};

type Task = () => Promise<unknown>;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One warm-up of each, then RUNS rounds in which every task runs once; medians per task. */
async function measure(tasks: Task[]): Promise<number[]> {
  for (const task of tasks) await task();
  const times = tasks.map(() => [] as number[]);
  for (let round = 0; round < RUNS; round++) {
    for (let i = 0; i < tasks.length; i++) {
      const start = performance.now();
      await tasks[i]();
      times[i].push(performance.now() - start);
    }
  }
  return times.map(median);
}

async function inBatches(run: (sql: string) => Promise<unknown>, statements: string[], size: number) {
  for (let i = 0; i < statements.length; i += size) await run(statements.slice(i, i + size).join(';\n'));
}

function describe(engine: string, schema: NormalizedSchema, setupMs: number) {
  const columns = schema.objects.reduce((n, o) => n + o.fields.length, 0);
  const keys = schema.relationships.length / 2;
  const seconds = (setupMs / 1000).toFixed(1);
  console.log(
    `${engine}: ${schema.objects.length} objects, ${columns} columns, ${keys} foreign keys (built in ${seconds} s)`,
  );
}

const ratio = (ours: number, theirs: number, target: string) =>
  `ratio ${(ours / theirs).toFixed(3)}× (target ≤ ${target})`;

export async function run(): Promise<void> {
  console.log(
    `\n## discovery (issue 5): ${TABLES} generated tables, median of ${RUNS} rounds after a warm-up`,
  );
  const database = `flowyte_bench_disc_${process.pid}_${randomBytes(3).toString('hex')}`;
  const rows: [string, number, string][] = [];
  const admin = new pg.Client({ ...PG, database: 'postgres' });
  const client = new pg.Client({ ...PG, database });
  // kysely-codegen gets a pool: it runs its five queries side by side, its best case.
  const pool = new pg.Pool({ ...PG, database, max: 10 });
  // kysely-codegen is CommonJS and types its argument with kysely's CommonJS declarations.
  const kysely = new Kysely<PostgresDB>({ dialect: new PostgresDialect({ pool }) }) as never;
  let my: mysql.Connection | null = null;
  let myPool: mysql.Pool | null = null;
  let pgReady = false;
  try {
    try {
      await admin.connect();
      await admin.query(`create database ${database}`);
      await client.connect();
      const start = performance.now();
      await inBatches((sql) => client.query(sql), postgresStatements(), 200);
      await client.query('analyze');
      describe('postgres', await discoverPostgres(client), performance.now() - start);
      pgReady = true;
    } catch (error) {
      console.log(`postgres: skipped (${(error as Error).message})`);
    }
    try {
      my = await mysql.createConnection({ ...MY, multipleStatements: true });
      await my.query(`create database ${database}`);
      await my.query(`use ${database}`);
      const start = performance.now();
      await inBatches((sql) => my!.query(sql), mysqlStatements(), 50);
      describe('mysql', await discoverMysql(my, database), performance.now() - start);
      myPool = mysql.createPool({ ...MY, connectionLimit: 6 });
    } catch (error) {
      console.log(`mysql: skipped (${(error as Error).message})`);
    }

    if (pgReady) {
      const [ours, codegen, introspection] = await measure([
        () => discoverPostgres(client),
        () => new PostgresIntrospector().introspect({ db: kysely }),
        async () =>
          parseIntrospectionResults((await client.query(makeIntrospectionQuery())).rows[0].introspection),
      ]);
      rows.push(['flowyte discoverPostgres', ours, 'target ≤ 300 ms']);
      rows.push(['kysely-codegen PostgresIntrospector', codegen, ratio(ours, codegen, '0.25×')]);
      rows.push(['pg-introspection query + parse', introspection, ratio(ours, introspection, '0.5×')]);
    }
    if (my && myPool) {
      const connection = my;
      const pooled = myPool;
      // discoverMysql also takes a pool, over which its queries run side by side.
      const [single, parallel] = await measure([
        () => discoverMysql(connection, database),
        () => discoverMysql(pooled, database),
      ]);
      rows.push(['flowyte discoverMysql (one connection)', single, 'target ≤ 400 ms']);
      rows.push(['flowyte discoverMysql (pool of 6)', parallel, 'target ≤ 400 ms']);
    }
  } finally {
    await (kysely as Kysely<PostgresDB>).destroy().catch(() => {});
    await client.end().catch(() => {});
    await admin.query(`drop database if exists ${database} with (force)`).catch(() => {});
    await admin.end().catch(() => {});
    await myPool?.end().catch(() => {});
    await my?.query(`drop database if exists ${database}`).catch(() => {});
    await my?.end().catch(() => {});
  }
  const width = Math.max(...rows.map((r) => r[0].length), 13);
  console.log(`| ${'introspection'.padEnd(width)} | median ms | note`);
  console.log(`|${'-'.repeat(width + 2)}|-----------|-----`);
  for (const [what, ms, note] of rows)
    console.log(`| ${what.padEnd(width)} | ${ms.toFixed(1).padStart(9)} | ${note}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
