/**
 * PostgreSQL discovery: reads pg_catalog (not information_schema, which is far slower on large
 * schemas and hides constraints from a SELECT-only role) in one statement and one round trip, then
 * builds the normalized schema with the rules shared with MySQL.
 */
import type pg from 'pg';
import { buildNormalizedSchema } from '../sql-common/build-schema.ts';
import type { NormalizedSchema } from '../types.ts';
import { catalogFromRows, columnwise } from './discover-catalog.ts';
import { DISCOVERY_SQL } from './discover-queries.ts';

/**
 * Reads every relation the connected role can SELECT, in one statement (one snapshot of the
 * catalog). The client must be idle: not inside a transaction of its caller.
 */
export async function discoverPostgres(client: pg.ClientBase): Promise<NormalizedSchema> {
  const { rows } = await client.query(DISCOVERY_SQL);
  const answer = rows[0];
  return buildNormalizedSchema(
    catalogFromRows({
      relations: answer.relations ?? [],
      columns: columnwise(answer.columns),
      constraints: columnwise(answer.constraints),
      indexes: columnwise(answer.indexes),
      types: answer.types ?? [],
      comments: answer.comments ?? [],
      partitionKeys: answer.partition_keys ?? [],
    }),
  );
}
