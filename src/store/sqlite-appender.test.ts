import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SqliteAppender } from './sqlite-appender.ts';

let dir: string;
let file: string;
let reader: SQLite.Database;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'flowyte-appender-'));
  file = path.join(dir, 'a.db');
  reader = new SQLite(file);
  reader.pragma('journal_mode = WAL');
  reader.exec('create table t (id integer primary key, v text not null)');
});

afterAll(() => {
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = () => (reader.prepare('select count(*) as n from t').get() as { n: number }).n;

test('rows appended by the worker are visible to another connection once the append resolves', async () => {
  const appender = new SqliteAppender(file, 1000);
  await appender.append('insert into t (id, v) values (?, ?)', [
    [1, 'a'],
    [2, 'b'],
  ]);
  expect(reader.prepare('select v from t order by id').all()).toEqual([{ v: 'a' }, { v: 'b' }]);
  await appender.close();
});

test('a batch with one bad row lands not at all, and the appender keeps working', async () => {
  const appender = new SqliteAppender(file, 1000);
  const before = count();
  await expect(
    appender.append('insert into t (id, v) values (?, ?)', [
      [10, 'ok'],
      [11, null],
    ]),
  ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
  expect(count()).toBe(before);
  await appender.append('insert into t (id, v) values (?, ?)', [[12, 'after']]);
  expect(count()).toBe(before + 1);
  await appender.close();
});

test('close lets appends already sent finish first', async () => {
  const appender = new SqliteAppender(file, 1000);
  const before = count();
  const sent = appender.append('insert into t (v) values (?)', [['x'], ['y'], ['z']]);
  await appender.close();
  await sent;
  expect(count()).toBe(before + 3);
});
