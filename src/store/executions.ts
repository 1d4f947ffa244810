import type { Store } from './db.ts';
import { prepared } from './prepared.ts';
import type { ExecutionsTable } from './schema.ts';

const COLUMNS = [
  'id',
  'org_id',
  'agent_id',
  'skill_id',
  'skill_name',
  'version_id',
  'version_number',
  'outcome',
  'error_code',
  'duration_ms',
  'arguments',
  'conversation_id',
  'created_at',
] as const satisfies readonly (keyof ExecutionsTable)[];

type Inserter = (db: Store['db'], ...values: unknown[]) => Promise<unknown[]>;

/** `rows` records in one insert, its parameters row after row in COLUMNS order. */
const insertOf = (db: Store['db'], rows: number, slots: unknown[]) =>
  db
    .insertInto('executions')
    .values(
      Array.from(
        { length: rows },
        (_, r) =>
          Object.fromEntries(
            COLUMNS.map((column, c) => [column, slots[r * COLUMNS.length + c]]),
          ) as unknown as ExecutionsTable,
      ),
    );

/**
 * PostgreSQL: one compiled statement per batch size (the log writes at most 50 rows at a time, so
 * at most 50): building and compiling a 50-row insert in Kysely cost more than running it.
 */
const inserters = new Map<number, Inserter>();

function inserterOf(rows: number): Inserter {
  let insert = inserters.get(rows);
  if (!insert) {
    insert = prepared((db, ...slots: unknown[]) => insertOf(db, rows, slots));
    inserters.set(rows, insert);
  }
  return insert;
}

/** The one-row insert's SQL, with its parameters checked to come in COLUMNS order. */
const oneRowSql = new WeakMap<Store['db'], string>();

function oneRowSqlOf(db: Store['db']): string {
  let text = oneRowSql.get(db);
  if (!text) {
    const compiled = insertOf(db, 1, COLUMNS.slice()).compile();
    if (compiled.parameters.some((p, i) => p !== COLUMNS[i]))
      throw new Error('executions insert: parameters out of column order');
    text = compiled.sql;
    oneRowSql.set(db, text);
  }
  return text;
}

const parametersOf = (row: ExecutionsTable): unknown[] => COLUMNS.map((column) => row[column] ?? null);

/** All rows, or none (the insert rejects). SQLite: written by the store's worker thread. */
export async function insertExecutions(store: Store, rows: ExecutionsTable[]): Promise<void> {
  if (rows.length === 0) return;
  if (store.appender) return store.appender.append(oneRowSqlOf(store.db), rows.map(parametersOf));
  await inserterOf(rows.length)(store.db, ...rows.flatMap(parametersOf));
}

/** Newest first: ids sort by time, so the cursor is the last id seen. */
export interface ExecutionFilter {
  conversationId?: string;
  skillName?: string;
  outcome?: ExecutionsTable['outcome'];
}

export function listExecutions(
  store: Store,
  orgId: string,
  agentId: string,
  before: string | null,
  limit: number,
  filter: ExecutionFilter = {},
): Promise<ExecutionsTable[]> {
  let q = store.db
    .selectFrom('executions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('agent_id', '=', agentId)
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (before) q = q.where('id', '<', before);
  if (filter.conversationId !== undefined) q = q.where('conversation_id', '=', filter.conversationId);
  if (filter.skillName !== undefined) q = q.where('skill_name', '=', filter.skillName);
  if (filter.outcome !== undefined) q = q.where('outcome', '=', filter.outcome);
  return q.execute();
}

/** Mean duration (ms, rounded) of each skill's successful calls; skills never called are absent. */
export async function meanDurationBySkill(
  store: Store,
  orgId: string,
  skillIds: string[],
): Promise<Map<string, number>> {
  if (skillIds.length === 0) return new Map();
  const rows = await store.db
    .selectFrom('executions')
    .select(['skill_id', (eb) => eb.fn.avg<number | string>('duration_ms').as('mean')])
    .where('org_id', '=', orgId)
    .where('skill_id', 'in', skillIds)
    .where('outcome', '=', 'ok')
    .groupBy('skill_id')
    .execute();
  return new Map(rows.map((r) => [r.skill_id, Math.round(Number(r.mean))]));
}
