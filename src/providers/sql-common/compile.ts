/**
 * Compiles a validated binding plan into one frozen, parameterized statement per engine. Identifiers
 * come only from the discovered schema and are quoted by the driver's quoting; every value is a
 * placeholder. Results are selected by position (`c0`, `c1`…), so output names never reach the SQL.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../errors.ts';
import type { SchemaField } from '../types.ts';
import { isCitext, qualifiedTable, type SqlDialect } from './compile-dialect.ts';
import type {
  BindingPlan,
  CompiledArg,
  CompiledOutput,
  CompiledSql,
  InsertPlan,
  OutputConvert,
  PlanValue,
  ReadPlan,
  UpdatePlan,
} from './compile-plan.ts';

const BASE = 't';
const BIGINT = /^(bigint|int8|bigserial|serial8)\b/i;

function outputOf(d: SqlDialect, field: SchemaField, name: string, nullable: boolean): CompiledOutput {
  let convert: OutputConvert = 'none';
  let jsonType: CompiledOutput['jsonType'] = 'string';
  switch (field.type) {
    case 'integer':
      // pg and mysql2 (bigNumberStrings) hand bigint over as exact strings; they stay strings.
      jsonType = BIGINT.test(field.nativeType) ? 'string' : 'integer';
      break;
    case 'number':
      convert = 'number';
      jsonType = 'number';
      break;
    case 'boolean':
      convert = 'boolean';
      jsonType = 'boolean';
      break;
    case 'datetime':
      // MySQL TIMESTAMP is UTC in the executor's session; DATETIME and PostgreSQL `timestamp` carry no zone.
      convert = d.engine === 'mysql' && /^timestamp/i.test(field.nativeType) ? 'datetime_utc' : 'datetime';
      break;
    case 'binary':
      convert = 'binary';
      break;
  }
  return { name, type: field.type, jsonType, nullable, convert };
}

class Statement {
  readonly args: CompiledArg[] = [];
  constructor(private readonly d: SqlDialect) {}

  bind(arg: CompiledArg): string {
    this.args.push(arg);
    return this.d.placeholder(this.args.length);
  }

  /** A value for a column: MySQL date-times get a cast (see CompiledArg). */
  value(v: PlanValue, field: SchemaField): string {
    const cast = this.d.engine === 'mysql' && field.type === 'datetime' ? castOf(field) : undefined;
    const arg: CompiledArg = 'param' in v ? { param: v.param } : { const: v.const };
    if (cast) arg.cast = cast;
    return this.bind(arg);
  }
}

const castOf = (field: SchemaField) => (/^timestamp/i.test(field.nativeType) ? 'utc' : 'wall');

/** `SELECT "t"."a", "j1"."b" FROM … AS "t" LEFT JOIN … AS "j1" ON …` over `from` (a table or a CTE). */
function projection(d: SqlDialect, plan: BindingPlan, from: string): string {
  const q = d.quote;
  const columns = plan.outputs.map((o, i) => `${q(o.join ?? BASE)}.${q(o.field.name)} AS ${q(`c${i}`)}`);
  const joins = plan.joins.map((j) => {
    const on = j.on
      .map(([mine, theirs]) => `${q(j.alias)}.${q(theirs)} = ${q(BASE)}.${q(mine)}`)
      .join(' AND ');
    return ` LEFT JOIN ${qualifiedTable(d, j.target)} AS ${q(j.alias)} ON ${on}`;
  });
  return `SELECT ${columns.join(', ')} FROM ${from} AS ${q(BASE)}${joins.join('')}`;
}

/** Base columns a write must hand back so the projection (and its joins) can be evaluated. */
function returnedColumns(plan: BindingPlan): string[] {
  const names = new Set<string>();
  for (const o of plan.outputs) if (o.join === null) names.add(o.field.name);
  for (const j of plan.joins) for (const [mine] of j.on) names.add(mine);
  return [...names];
}

function compileRead(d: SqlDialect, plan: ReadPlan) {
  const s = new Statement(d);
  const q = d.quote;
  const column = `${q(BASE)}.${q(plan.filter.field.name)}`;
  const value = s.value({ param: plan.filter.param }, plan.filter.field);
  // Case-insensitive on PostgreSQL: the very expression of the `lower(column)` index, so it serves
  // the lookup (citext compares without case already; MySQL's default collations do too).
  const lower =
    plan.filter.match === 'case_insensitive' && d.engine === 'postgres' && !isCitext(plan.filter.field);
  const where = lower ? `lower(${column}) = lower(${value})` : `${column} = ${value}`;
  // One row more than the cap tells a complete answer from a cut one.
  const sql = `${projection(d, plan, qualifiedTable(d, plan.object))} WHERE ${where} LIMIT ${plan.rowCap + 1}`;
  return { sql, args: s.args };
}

function compilePostgresWrite(d: SqlDialect, plan: InsertPlan | UpdatePlan) {
  const s = new Statement(d);
  const q = d.quote;
  const table = qualifiedTable(d, plan.object);
  const returning = returnedColumns(plan).map(q).join(', ');
  let write: string;
  if (plan.mode === 'insert') {
    const cols = plan.values.map((v) => q(v.field.name)).join(', ');
    const vals = plan.values.map((v) => s.value(v.value, v.field)).join(', ');
    write = `INSERT INTO ${table} (${cols}) VALUES (${vals}) RETURNING ${returning}`;
  } else {
    const set = plan.values.map((v) => `${q(v.field.name)} = ${s.value(v.value, v.field)}`).join(', ');
    write = `UPDATE ${table} SET ${set} WHERE ${q(plan.key.field.name)} = ${s.value({ param: plan.key.param }, plan.key.field)} RETURNING ${returning}`;
  }
  // The data-modifying CTE hands the written row to the same projection reads use, joins included.
  return { sql: `WITH ${q('w')} AS (${write}) ${projection(d, plan, q('w'))}`, args: s.args };
}

/** MySQL has no RETURNING: the row is read back by a key known after the write. */
function rereadKey(plan: InsertPlan | UpdatePlan): { column: string; arg: CompiledArg } {
  if (plan.mode === 'update') return { column: plan.key.field.name, arg: { param: plan.key.param } };
  const pk = plan.object.primaryKey;
  const bound = (name: string) => plan.values.find((v) => v.field.name === name);
  if (pk.length === 1) {
    const given = bound(pk[0]);
    if (given)
      return {
        column: pk[0],
        arg: 'param' in given.value ? { param: given.value.param } : { const: given.value.const },
      };
    const field = plan.object.fields.find((f) => f.name === pk[0]);
    if (field?.type === 'integer' && field.hasDefault) return { column: pk[0], arg: { insertId: true } };
  }
  const unique = plan.values.find((v) => v.field.unique && !v.field.nullable);
  if (unique)
    return {
      column: unique.field.name,
      arg: 'param' in unique.value ? { param: unique.value.param } : { const: unique.value.const },
    };
  throw new AppError('binding_invalid', 'the inserted row could not be read back', {
    errors: [
      {
        field: 'inputObjectMap',
        message: `MySQL cannot return the inserted ${plan.object.name}: bind its primary key or a unique column, or give it an AUTO_INCREMENT key`,
      },
    ],
  });
}

function compileMysqlWrite(d: SqlDialect, plan: InsertPlan | UpdatePlan) {
  const s = new Statement(d);
  const q = d.quote;
  const table = qualifiedTable(d, plan.object);
  let sql: string;
  if (plan.mode === 'insert') {
    const cols = plan.values.map((v) => q(v.field.name)).join(', ');
    sql = `INSERT INTO ${table} (${cols}) VALUES (${plan.values.map((v) => s.value(v.value, v.field)).join(', ')})`;
  } else {
    const set = plan.values.map((v) => `${q(v.field.name)} = ${s.value(v.value, v.field)}`).join(', ');
    sql = `UPDATE ${table} SET ${set} WHERE ${q(plan.key.field.name)} = ${s.value({ param: plan.key.param }, plan.key.field)}`;
  }
  const key = rereadKey(plan);
  const r = new Statement(d);
  const reread = `${projection(d, plan, table)} WHERE ${q(BASE)}.${q(key.column)} = ${r.bind(key.arg)}`;
  return { sql, args: s.args, reread: { sql: reread, args: r.args } };
}

/** The frozen statement of a plan; throws binding_invalid for the few engine-specific refusals. */
export function compileBinding(d: SqlDialect, kind: string, plan: BindingPlan): CompiledSql {
  const outputs = plan.outputs.map((o) => outputOf(d, o.field, o.name, o.field.nullable || o.join !== null));
  const body: { sql: string; args: CompiledArg[]; reread?: CompiledSql['reread'] } =
    plan.mode === 'read'
      ? compileRead(d, plan)
      : d.engine === 'postgres'
        ? compilePostgresWrite(d, plan)
        : compileMysqlWrite(d, plan);
  const compiled: Omit<CompiledSql, 'id'> = {
    v: 1,
    kind,
    engine: d.engine,
    mode: plan.mode,
    object: plan.object.name,
    sql: body.sql,
    args: body.args,
    outputs,
    ...(plan.mode === 'read' ? { rowCap: plan.rowCap } : {}),
    ...(body.reread ? { reread: body.reread } : {}),
  };
  const id = createHash('sha256').update(JSON.stringify(compiled)).digest('base64url').slice(0, 22);
  return Object.freeze({ ...compiled, id });
}
