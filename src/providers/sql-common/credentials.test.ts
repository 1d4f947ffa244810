import { describe, expect, it } from 'vitest';
import {
  checkSqlName,
  generateRoleName,
  generateRolePassword,
  normalizeCredentials,
  parseSqlCredentials,
  splitTableName,
} from './credentials.ts';

const good = {
  host: 'db.example.com',
  port: 5432,
  database: 'app',
  user: 'u',
  password: '',
  sslmode: 'verify-full',
};

describe('SqlCredentials', () => {
  it('accepts the connect body and an empty password', () => {
    expect(parseSqlCredentials(good)).toEqual(good);
  });

  it.each([
    ['port 0', { ...good, port: 0 }, 'credentials.port'],
    ['a fractional port', { ...good, port: 5432.5 }, 'credentials.port'],
    ['an empty host', { ...good, host: '' }, 'credentials.host'],
    ['an unknown sslmode', { ...good, sslmode: 'prefer' }, 'credentials.sslmode'],
    ['an unknown field', { ...good, extra: 1 }, 'credentials.extra'],
    ['a CA over 64 KiB', { ...good, ca_pem: 'x'.repeat(64 * 1024 + 1) }, 'credentials.ca_pem'],
    ['a password over 1024 characters', { ...good, password: 'p'.repeat(1025) }, 'credentials.password'],
  ])('refuses %s with a validation_error', (_label, input, field) => {
    try {
      parseSqlCredentials(input);
      expect.unreachable();
    } catch (e: any) {
      expect(e.code).toBe('validation_error');
      expect(e.extras.errors.map((x: any) => x.field)).toContain(field);
    }
  });

  it('normalizes: trimmed host, no empty CA', () => {
    expect(normalizeCredentials({ ...good, host: ' db.example.com ', ca_pem: '  ' } as any)).toEqual(good);
  });
});

describe('generated role names and passwords', () => {
  it('are fresh each time, strong, and need no escaping', () => {
    const pws = new Set(Array.from({ length: 50 }, generateRolePassword));
    expect(pws.size).toBe(50);
    for (const pw of pws) {
      expect(pw).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(pw).toMatch(/[A-Z]/);
      expect(pw).toMatch(/[a-z]/);
      expect(pw).toMatch(/[0-9]/);
      expect(pw).toMatch(/[-_]/);
    }
    expect(generateRoleName()).toMatch(/^flowyte_reader_[0-9a-f]{8}$/);
    expect(generateRoleName()).not.toBe(generateRoleName());
  });
});

describe('checkSqlName', () => {
  it('refuses empty names, NUL and control characters, and over-long names', () => {
    for (const bad of ['', '   ', 'a\u0000b', 'tab\there', 'x'.repeat(64), 42]) {
      expect(() => checkSqlName(bad, 'database', 63)).toThrow(
        expect.objectContaining({ code: 'validation_error' }),
      );
    }
    expect(checkSqlName('we"ird `name`', 'database', 63)).toBe('we"ird `name`');
  });

  it('splits schema.table at the first dot', () => {
    expect(splitTableName('sales.orders', 'tables', 63)).toEqual({ schema: 'sales', table: 'orders' });
    expect(splitTableName('orders', 'tables', 63)).toEqual({ schema: null, table: 'orders' });
    expect(() => splitTableName('sales.', 'tables', 63)).toThrow();
  });
});
