/**
 * The schemas the auto-map eval runs against, discovered the way a connection discovers them: the
 * public sample databases in the local PostgreSQL (pagila, chinook, northwind) and MariaDB (sakila),
 * and the Shopify Admin schema the sandbox serves (normalized offline from its introspection).
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { discoverMysql } from '../../src/providers/mysql/discover.ts';
import { discoverPostgres } from '../../src/providers/postgres/discover.ts';
import { normalizeIntrospection } from '../../src/providers/shopify/discover.ts';
import type { NormalizedSchema } from '../../src/providers/types.ts';
import { loadAdminIntrospection } from '../../src/sandbox/shopify/index.ts';

export type EvalDb = 'pagila' | 'sakila' | 'chinook' | 'northwind' | 'shopify';
export const EVAL_DBS: EvalDb[] = ['pagila', 'sakila', 'chinook', 'northwind', 'shopify'];
/** Which provider's binder judges a database's bindings. */
export const KIND_OF: Record<EvalDb, 'postgres' | 'mysql' | 'shopify'> = {
  pagila: 'postgres',
  sakila: 'mysql',
  chinook: 'postgres',
  northwind: 'postgres',
  shopify: 'shopify',
};

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

export async function discoverPg(database: string): Promise<NormalizedSchema> {
  const client = new pg.Client({ ...PG, database });
  await client.connect();
  try {
    return await discoverPostgres(client);
  } finally {
    await client.end();
  }
}

export async function discoverMy(database: string): Promise<NormalizedSchema> {
  const conn = await mysql.createConnection(MY);
  try {
    return await discoverMysql(conn, database);
  } finally {
    await conn.end();
  }
}

export function shopifySchema(): NormalizedSchema {
  return normalizeIntrospection(loadAdminIntrospection().__schema as never);
}

export async function loadSchema(db: EvalDb): Promise<NormalizedSchema> {
  if (db === 'shopify') return shopifySchema();
  if (db === 'sakila') return discoverMy('sakila');
  return discoverPg(db);
}
