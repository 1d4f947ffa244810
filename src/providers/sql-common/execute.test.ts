import { describe, expect, test } from 'vitest';
import { AppError } from '../../errors.ts';
import type { CompiledOutput, CompiledSql } from './compile-plan.ts';
import {
  bindValues,
  mysqlDatetime,
  readResult,
  runtimeError,
  shapeRow,
  statementTimeoutOf,
} from './execute.ts';

const out = (
  name: string,
  convert: CompiledOutput['convert'],
  type: CompiledOutput['type'] = 'string',
): CompiledOutput => ({ name, type, jsonType: 'string', nullable: true, convert });

describe('shaping results', () => {
  test('each output converts once: decimals to numbers, flags to booleans, dates to ISO, bytes to base64', () => {
    const outputs = [
      out('n', 'number'),
      out('b', 'boolean'),
      out('t', 'datetime'),
      out('u', 'datetime_utc'),
      out('raw', 'binary'),
      out('id', 'none'),
      out('d', 'datetime'),
    ];
    const row = [
      '19.90',
      1,
      '2030-01-02 09:30:00',
      '2030-01-02 08:30:00',
      Buffer.from('hi'),
      '9007199254740993',
      new Date('2030-01-02T08:30:00Z'),
    ];
    expect(shapeRow(row, outputs)).toEqual({
      n: 19.9,
      b: true,
      t: '2030-01-02T09:30:00',
      u: '2030-01-02T08:30:00Z',
      raw: 'aGk=',
      id: '9007199254740993',
      d: '2030-01-02T08:30:00.000Z',
    });
    expect(shapeRow([null, null, null, null, null, null, null], outputs)).toEqual({
      n: null,
      b: null,
      t: null,
      u: null,
      raw: null,
      id: null,
      d: null,
    });
  });

  test('a result fetched with cap + 1 rows is cut to the cap and says so', () => {
    const compiled = { outputs: [out('x', 'none')], rowCap: 2 } as unknown as CompiledSql;
    expect(readResult([[1], [2], [3]], compiled)).toEqual({
      rows: [{ x: 1 }, { x: 2 }],
      rowCount: 2,
      truncated: true,
    });
    expect(readResult([[1], [2]], compiled)).toEqual({
      rows: [{ x: 1 }, { x: 2 }],
      rowCount: 2,
      truncated: false,
    });
  });
});

describe('binding values', () => {
  test('arguments by name, constants as given, the insert id where asked; undefined becomes null', () => {
    const args = [{ param: 'a' }, { const: 'k' }, { insertId: true as const }, { param: 'missing' }];
    expect(bindValues(args, { a: "x' or 1=1" }, 42)).toEqual(["x' or 1=1", 'k', 42, null]);
  });

  test('MySQL date-times: TIMESTAMP columns get the UTC instant, DATETIME the wall clock', () => {
    expect(mysqlDatetime('2030-01-02T09:30:00+01:00', 'utc')).toBe('2030-01-02 08:30:00');
    expect(mysqlDatetime('2030-01-02T09:30:00.250Z', 'utc')).toBe('2030-01-02 09:30:00.250');
    expect(mysqlDatetime('2030-01-02T09:30:00+01:00', 'wall')).toBe('2030-01-02 09:30:00');
    expect(mysqlDatetime('not a date', 'utc')).toBe('not a date');
  });

  test('the statement timeout is the operator setting, clamped', () => {
    expect(statementTimeoutOf({})).toBe(5000);
    expect(statementTimeoutOf({ statementTimeoutMs: 'soon' })).toBe(5000);
    expect(statementTimeoutOf({ statementTimeoutMs: 1 })).toBe(50);
    expect(statementTimeoutOf({ statementTimeoutMs: 1e9 })).toBe(60_000);
  });
});

describe('driver failures', () => {
  const code = (err: unknown) => {
    const e = runtimeError(err, 'postgres');
    return [e.code, e.extras.extensions?.reason ?? e.extras.extensions?.retryable ?? null];
  };
  test('map to problems an agent can act on, never quoting the driver', () => {
    expect(code({ code: '28P01', message: 'password authentication failed for user "x"' })).toEqual([
      'needs_reconnect',
      'auth',
    ]);
    expect(code({ code: 'ECONNREFUSED' })).toEqual(['provider_error', 'unreachable']);
    expect(code({ code: '57014' })).toEqual(['provider_timeout', true]);
    expect(code({ errno: 1969 })).toEqual(['provider_timeout', true]);
    expect(code({ code: '23505', constraint: 'x' })).toEqual(['write_not_applied', 'duplicate']);
    expect(code({ code: 'ER_DUP_ENTRY', errno: 1062 })).toEqual(['write_not_applied', 'duplicate']);
    expect(code({ code: '22003' })).toEqual(['validation_error', null]);
    expect(code({ code: '42P01' })).toEqual(['provider_error', 'schema_changed']);
    expect(code({ code: 'XX000', message: 'select secret from t' })).toEqual(['provider_error', false]);
    expect(runtimeError({ code: 'XX000', message: 'select secret from t' }, 'postgres').message).not.toMatch(
      /secret/,
    );
    const own = new AppError('write_not_applied', 'x');
    expect(runtimeError(own, 'mysql')).toBe(own);
  });
});
