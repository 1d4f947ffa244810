/**
 * PostgreSQL discovery: reads pg_catalog (not information_schema, which is far slower on large
 * schemas and hides constraints from a SELECT-only role) in one read-only transaction and one round
 * trip, then builds the normalized schema with the rules shared with MySQL.
 */
import type pg from 'pg';
import { buildNormalizedSchema } from '../sql-common/build-schema.ts';
import type { NormalizedSchema } from '../types.ts';
import { catalogFromRows, columnwise } from './discover-catalog.ts';
import { PARTITION_KEYS_SQL } from './discover-partitions.ts';
import { DISCOVERY_STATEMENTS } from './discover-queries.ts';

/** Everything in one read-only, repeatable-read transaction: one consistent snapshot of the catalog. */
const DISCOVERY_SCRIPT = [
  'begin isolation level repeatable read read only',
  ...DISCOVERY_STATEMENTS,
  PARTITION_KEYS_SQL,
  'commit',
].join(';\n');

/**
 * Reads every relation the connected role can SELECT, in one read-only transaction. The client must
 * be idle (not inside a transaction of its caller): discovery opens and commits its own.
 */
export async function discoverPostgres(client: pg.ClientBase): Promise<NormalizedSchema> {
  let results: pg.QueryResult[];
  try {
    results = (await client.query(DISCOVERY_SCRIPT)) as unknown as pg.QueryResult[];
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
  const [, relations, columns, constraints, indexes, types, comments, partitionKeys] = results.map(
    (r) => r.rows,
  );
  return buildNormalizedSchema(
    catalogFromRows({
      relations,
      columns: columnwise(columns[0]),
      constraints: columnwise(constraints[0]),
      indexes: columnwise(indexes[0]),
      types,
      comments,
      partitionKeys,
    }),
  );
}
