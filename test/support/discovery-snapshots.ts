/**
 * Discovery snapshots: the normalized schema a discovery returned, kept gzipped under
 * test/fixtures/discovery/, so that a faster discovery can be held to the exact output of the one
 * it replaces (same objects, fields, keys, relationships, operations, in the same order).
 *
 * FLOWYTE_UPDATE_DISCOVERY_SNAPSHOTS=1 rewrites them from the current code: only when the output is
 * meant to change, and the diff of the decompressed files reviewed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import type { NormalizedSchema } from '../../src/providers/types.ts';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/discovery');
const update = process.env.FLOWYTE_UPDATE_DISCOVERY_SNAPSHOTS === '1';

/**
 * Fails unless `schema` serializes exactly as the snapshot `name` (key order included).
 * `database`: a scratch database's unique name, which MySQL objects carry as their schema, is
 * written as `<database>`.
 */
export function expectDiscoverySnapshot(name: string, schema: NormalizedSchema, database?: string): void {
  const file = path.join(dir, `${name}.json.gz`);
  let actual = JSON.stringify(schema, null, 1);
  if (database) actual = actual.replaceAll(JSON.stringify(database), '"<database>"');
  if (update) {
    mkdirSync(dir, { recursive: true });
    // mtime 0 in the gzip header: the same output gives the same bytes, and no spurious change.
    writeFileSync(file, gzipSync(actual, { level: 9 }));
    return;
  }
  if (!existsSync(file)) throw new Error(`no snapshot ${file}: FLOWYTE_UPDATE_DISCOVERY_SNAPSHOTS=1`);
  const expected = gunzipSync(readFileSync(file)).toString('utf8');
  if (actual === expected) return;
  // A structural diff names the first differences readably; key order alone would pass it.
  expect(JSON.parse(actual)).toEqual(JSON.parse(expected));
  expect.fail(`${name}: same content as the snapshot but serialized in another key order`);
}
