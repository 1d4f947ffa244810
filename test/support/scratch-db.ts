/** A uniquely named, throw-away database on the local PostgreSQL, for suites that run the store on it. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG } from './services.ts';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ ...PG, database: 'postgres' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function scratchPostgres(label = 'store'): Promise<ScratchDatabase> {
  const name = `flowyte_test_${label}_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  return {
    name,
    url: `postgres://${PG.user}@${PG.host}:${PG.port}/${name}`,
    // WITH (FORCE) ends connections a failed test may have left open (PostgreSQL 13+).
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
