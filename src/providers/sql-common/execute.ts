/**
 * What both SQL executors share: checking a compiled binding, binding its values, shaping result
 * rows by the projection's output names, and turning driver failures into problems an agent can act
 * on (retry, reconnect, tell the caller). Details never carry SQL, values or driver dumps.
 */
import { AppError } from '../../errors.ts';
import type { ExecuteRequest, ProviderContext } from '../types.ts';
import type { CompiledArg, CompiledOutput, CompiledSql, DatetimeCast } from './compile-plan.ts';
import { cancelledByServer, classifySqlError } from './errors.ts';

export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;
const MIN_TIMEOUT_MS = 50;
const MAX_TIMEOUT_MS = 60_000;

/** The skill's statement bound (operator setting `statementTimeoutMs`), clamped to a sane range. */
export function statementTimeoutOf(config: Record<string, unknown>): number {
  const v = config.statementTimeoutMs;
  if (typeof v !== 'number' || !Number.isFinite(v)) return DEFAULT_STATEMENT_TIMEOUT_MS;
  return Math.min(MAX_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, Math.round(v)));
}

/** The compiled statement of a skill, refusing anything that is not one of ours for this engine. */
export function compiledFor(compiled: unknown, engine: 'postgres' | 'mysql'): CompiledSql {
  const c = compiled as CompiledSql | undefined;
  if (
    c?.v !== 1 ||
    c.engine !== engine ||
    typeof c.sql !== 'string' ||
    !Array.isArray(c.args) ||
    !Array.isArray(c.outputs)
  ) {
    throw new AppError(
      'provider_error',
      'this skill has no compiled binding for this database; bind it again',
      { extensions: { retryable: false } },
    );
  }
  return c;
}

const WALL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)/;
const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO 8601 date-time as MySQL takes it: the wall-clock part, or that instant in UTC. */
export function mysqlDatetime(value: unknown, cast: DatetimeCast): unknown {
  if (typeof value !== 'string') return value;
  if (cast === 'wall') {
    const m = WALL.exec(value);
    return m ? `${m[1]} ${m[2]}` : value;
  }
  const d = new Date(HAS_OFFSET.test(value) ? value : `${value}Z`);
  if (Number.isNaN(d.getTime())) return value;
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, d.getUTCMilliseconds() ? 23 : 19)}`;
}

/** Values in placeholder order: arguments by name, constants as given, never spliced into SQL. */
export function bindValues(
  args: CompiledArg[],
  input: Record<string, unknown>,
  insertId?: unknown,
): unknown[] {
  const values = new Array(args.length);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let v = 'param' in a ? input[a.param] : 'const' in a ? a.const : insertId;
    if ('cast' in a && a.cast && v !== null && v !== undefined) v = mysqlDatetime(v, a.cast);
    values[i] = v === undefined ? null : v;
  }
  return values;
}

function convert(value: unknown, out: CompiledOutput): unknown {
  if (value === null || value === undefined) return null;
  switch (out.convert) {
    case 'number':
      return typeof value === 'string' ? Number(value) : value;
    case 'boolean':
      return typeof value === 'boolean' ? value : Number(value) !== 0;
    case 'datetime':
      return value instanceof Date
        ? Number.isNaN(value.getTime())
          ? null
          : value.toISOString()
        : String(value).replace(' ', 'T');
    case 'datetime_utc':
      return value instanceof Date ? value.toISOString() : `${String(value).replace(' ', 'T')}Z`;
    case 'binary':
      return Buffer.isBuffer(value) ? value.toString('base64') : value;
    default:
      return typeof value === 'bigint'
        ? value.toString()
        : value instanceof Date
          ? value.toISOString()
          : value;
  }
}

/** One result row (selected by position) as an object keyed by output names. */
export function shapeRow(row: unknown[], outputs: CompiledOutput[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < outputs.length; i++) out[outputs[i].name] = convert(row[i], outputs[i]);
  return out;
}

export interface ReadResult {
  rows: Record<string, unknown>[];
  rowCount: number;
  truncated: boolean;
}

/** Cuts a result fetched with LIMIT cap + 1 to the cap, saying whether anything was cut. */
export function readResult(rows: unknown[][], compiled: CompiledSql): ReadResult {
  const cap = compiled.rowCap ?? rows.length;
  const truncated = rows.length > cap;
  const kept = truncated ? rows.slice(0, cap) : rows;
  const shaped = kept.map((r) => shapeRow(r, compiled.outputs));
  return { rows: shaped, rowCount: shaped.length, truncated };
}

/** A write that touched a number of rows other than one: rolled back, and reported. */
export function wrongRowCount(n: number, compiled: CompiledSql): AppError {
  const none = n === 0;
  return new AppError(
    'write_not_applied',
    none
      ? `no ${compiled.object} record matched the key; nothing was changed`
      : `the write would have changed ${n} ${compiled.object} records instead of one; it was rolled back`,
    { extensions: { reason: none ? 'no_matching_row' : 'too_many_rows', rowsAffected: 0 } },
  );
}

interface DriverError {
  code?: string;
  errno?: number;
  constraint?: string;
}

// Constraint and data errors: the caller's values, not the database, are the problem.
const CONSTRAINT: Record<string, string> = {
  '23505': 'duplicate',
  ER_DUP_ENTRY: 'duplicate',
  '23503': 'missing_reference',
  ER_NO_REFERENCED_ROW_2: 'missing_reference',
  ER_NO_REFERENCED_ROW: 'missing_reference',
  ER_ROW_IS_REFERENCED_2: 'missing_reference',
  '23502': 'missing_value',
  ER_BAD_NULL_ERROR: 'missing_value',
  '23514': 'check_failed',
  ER_CHECK_CONSTRAINT_VIOLATED: 'check_failed',
  '23P01': 'conflict',
};
const REASON_TEXT: Record<string, string> = {
  duplicate: 'a record with the same unique value already exists',
  missing_reference: 'a value refers to a record that does not exist',
  missing_value: 'a required value is missing',
  check_failed: 'a value breaks a rule of the database',
  conflict: 'the record conflicts with an existing one',
};
// Schema drift since discovery: retrying cannot help, re-discovery and re-binding can.
const DRIFT = new Set([
  '42P01',
  '42703',
  '42883',
  'ER_NO_SUCH_TABLE',
  'ER_BAD_FIELD_ERROR',
  'ER_BAD_TABLE_ERROR',
]);
const DRIFT_ERRNOS = new Set([1146, 1054, 1051]);
const MYSQL_DATA = new Set([
  'ER_DATA_TOO_LONG',
  'ER_TRUNCATED_WRONG_VALUE',
  'ER_WARN_DATA_OUT_OF_RANGE',
  'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
  'WARN_DATA_TRUNCATED',
]);

/** Driver failure → typed problem. `reconnect` marks a refusal of the stored credentials. */
export function runtimeError(err: unknown, kind: string): AppError {
  if (err instanceof AppError) return err;
  const e = (err && typeof err === 'object' ? err : {}) as DriverError;
  const code = String(e.code ?? '');
  const cls = classifySqlError(err);
  if (cls === 'auth' || cls === 'tls') {
    return new AppError(
      'needs_reconnect',
      `the ${kind} database no longer accepts the stored credentials${cls === 'tls' ? ' (TLS failed)' : ''}; an operator must reconnect it`,
      {
        extensions: { reason: cls },
      },
    );
  }
  if (cls === 'timeout') {
    // Cancelled by the server, the statement changed nothing; given up on by us, it may have.
    const cancelled = cancelledByServer(err);
    return new AppError(
      'provider_timeout',
      `the ${kind} database did not answer within the statement timeout`,
      { extensions: { retryable: true, ...(cancelled ? { mayHaveApplied: false } : {}) } },
    );
  }
  if (cls === 'unreachable') {
    return new AppError('provider_error', `the ${kind} database is unreachable right now`, {
      extensions: { retryable: true, reason: 'unreachable' },
    });
  }
  const reason = CONSTRAINT[code];
  if (reason) {
    return new AppError('write_not_applied', `the database refused the write: ${REASON_TEXT[reason]}`, {
      extensions: { reason, rowsAffected: 0 },
    });
  }
  if (code.startsWith('22') || MYSQL_DATA.has(code)) {
    return new AppError(
      'validation_error',
      'the database refused an argument value (out of range, too long, or malformed)',
      {
        errors: [{ field: 'arguments', message: 'a value does not fit its column' }],
      },
    );
  }
  if (DRIFT.has(code) || (e.errno !== undefined && DRIFT_ERRNOS.has(e.errno))) {
    return new AppError(
      'provider_error',
      `the ${kind} schema changed since discovery (a table or column is gone); run discovery again and re-bind this skill`,
      {
        extensions: { retryable: false, reason: 'schema_changed' },
      },
    );
  }
  return new AppError('provider_error', `the ${kind} database refused the statement`, {
    extensions: { retryable: false },
  });
}

/** What one SQL engine supplies to run compiled bindings; the shared part is in `sqlExecutor`. */
export interface SqlEngineRunner<P> {
  engine: 'postgres' | 'mysql';
  poolFor(credentials: Record<string, unknown>, connectionId: string, ctx: ProviderContext): P;
  dropPool(connectionId: string): void;
  read(pool: P, c: CompiledSql, args: Record<string, unknown>, timeoutMs: number): Promise<unknown>;
  write(pool: P, c: CompiledSql, args: Record<string, unknown>, timeoutMs: number): Promise<unknown>;
}

/** ProviderModule.execute for a SQL engine: runs a compiled binding on the connection's warm pool. */
export function sqlExecutor<P>(runner: SqlEngineRunner<P>) {
  return async (
    credentials: Record<string, unknown>,
    request: ExecuteRequest,
    ctx: ProviderContext,
  ): Promise<unknown> => {
    const compiled = compiledFor(request.compiled, runner.engine);
    const timeoutMs = statementTimeoutOf(request.config);
    try {
      const pool = runner.poolFor(credentials, request.connectionId, ctx);
      return compiled.mode === 'read'
        ? await runner.read(pool, compiled, request.arguments, timeoutMs)
        : await runner.write(pool, compiled, request.arguments, timeoutMs);
    } catch (err) {
      const problem = runtimeError(err, runner.engine);
      // Sessions opened with refused credentials are useless; the next call starts over.
      if (problem.code === 'needs_reconnect') runner.dropPool(request.connectionId);
      throw problem;
    }
  };
}
