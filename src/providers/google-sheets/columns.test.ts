import { describe, expect, test } from 'vitest';
import { columnsOf, quoteTab } from './headers.ts';
import { inferColumn } from './infer.ts';
import { parseSpreadsheetRef } from './spreadsheet-ref.ts';

describe('header columns', () => {
  test('duplicates are numbered, empty headers named by letter, data beyond the header kept', () => {
    expect(columnsOf(['Name', '', 'name', 'Name', ' Email '], 7).map((c) => c.name)).toEqual([
      'Name',
      'column_B',
      'name_2',
      'Name_3',
      'Email',
      'column_F',
      'column_G',
    ]);
    expect(columnsOf(Array(28).fill('')).at(-1)!.name).toBe('column_AB');
    expect(quoteTab("Q1 '24")).toBe("'Q1 ''24'");
  });
});

describe('type inference', () => {
  test.each([
    ['Count', ['1', '20', '-3'], 'integer', null],
    ['Amount', ['$1,200.50', '3', '4.5%'], 'number', null],
    ['Code', ['007', '12'], 'string', null],
    ['Active', ['TRUE', 'false'], 'boolean', null],
    ['Day', ['2030-01-02', '1/31/2030'], 'date', null],
    ['When', ['2030-01-02', '2030-01-02 10:00'], 'datetime', null],
    ['Opens', ['9:00 AM', '17:30'], 'time', null],
    ['Contact', ['a@b.co', 'c@d.org'], 'string', 'email'],
    ['Reach', ['+1 212 555 0101', '(646) 555-0000'], 'string', 'phone'],
    ['Phone', ['2125550101', '6465550000'], 'string', 'phone'],
    ['Mixed', ['1', 'two'], 'string', null],
    ['Blank', ['', null], 'string', null],
    ['Email address', [], 'string', 'email'],
  ])('%s %j → %s', (header, samples, type, pii) => {
    expect(inferColumn(header, samples)).toEqual({ type, pii });
  });
});

describe('spreadsheet references', () => {
  test('URLs (with a tab) and bare ids; anything else is refused', () => {
    expect(parseSpreadsheetRef('https://docs.google.com/spreadsheets/d/1AbC_d-9/edit#gid=42')).toEqual({
      id: '1AbC_d-9',
      gid: 42,
    });
    expect(parseSpreadsheetRef('https://docs.google.com/spreadsheets/u/0/d/1AbC/edit')).toEqual({
      id: '1AbC',
    });
    expect(parseSpreadsheetRef(' 1AbCdEf ')).toEqual({ id: '1AbCdEf' });
    for (const bad of ['', 'https://evil.example/x', '../../etc', 42])
      expect(() => parseSpreadsheetRef(bad)).toThrow(/ref must be/);
  });
});
