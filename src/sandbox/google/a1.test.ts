import { describe, expect, it } from 'vitest';
import { columnIndex, columnLetters, formatRange, parseRange, quoteTitle } from './a1.ts';
import { Seeder } from './seed.ts';
import { GoogleWorld } from './state.ts';

const world = new GoogleWorld();
const ss = new Seeder(world, 'c').spreadsheet({
  owner: 'a@example.com',
  title: 'T',
  sheets: [{ title: 'Sheet1' }, { title: "Bob's list" }, { title: 'A1' }],
});
const box = (text: string) => {
  const r = parseRange(ss, text);
  return [r.sheet.title, r.startRow, r.endRow, r.startCol, r.endCol];
};

describe('A1 notation', () => {
  it('converts column letters both ways', () => {
    expect(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA'].map(columnIndex)).toEqual([0, 25, 26, 51, 52, 701, 702]);
    expect([0, 25, 26, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA']);
  });

  it('parses the forms clients send', () => {
    expect(box('Sheet1!A1:C3')).toEqual(['Sheet1', 0, 3, 0, 3]);
    expect(box('A2:B')).toEqual(['Sheet1', 1, 1000, 0, 2]);
    expect(box("'Bob''s list'!1:1")).toEqual(["Bob's list", 0, 1, 0, 26]);
    expect(box("Bob's list")).toEqual(["Bob's list", 0, 1000, 0, 26]);
    expect(box('sheet1!B:B')).toEqual(['Sheet1', 0, 1000, 1, 2]);
    expect(box('A1')).toEqual(['A1', 0, 1000, 0, 26]);
    expect(box('Sheet1!C5')).toEqual(['Sheet1', 4, 5, 2, 3]);
  });

  it('refuses what Google cannot parse', () => {
    for (const bad of ['Nope!A1', 'Sheet1!A', 'Sheet1!A1:B2:C3', 'Sheet1!B2:A1', "'Unclosed!A1"]) {
      expect(() => parseRange(ss, bad), bad).toThrow(/Unable to parse range/);
    }
  });

  it('quotes titles and collapses single cells when formatting', () => {
    expect(quoteTitle('Sheet1')).toBe('Sheet1');
    expect(quoteTitle('My Tab')).toBe("'My Tab'");
    expect(quoteTitle('A1')).toBe("'A1'");
    expect(formatRange(ss.sheets[1], 0, 1, 0, 1)).toBe("'Bob''s list'!A1");
  });
});
