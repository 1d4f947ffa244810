import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, 'routes');
const sources = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));

describe('routes declare their types once', () => {
  it('no route restates its types in a generic: they come from the schema (TypeBox type provider)', () => {
    const restated = sources.filter(({ text }) => /\bapp\.(get|post|put|patch|delete|route)</.test(text));
    expect(restated.map((s) => s.file)).toEqual([]);
  });

  it('no route takes an untyped body', () => {
    const loose = sources.filter(({ text }) => /Body:\s*any\b|req\.body as /.test(text));
    expect(loose.map((s) => s.file)).toEqual([]);
  });

  it('every route plugin registers on the typed app', () => {
    const untyped = sources.filter(({ text }) => /async \(app: FastifyInstance\)/.test(text));
    expect(untyped.map((s) => s.file)).toEqual([]);
  });

  it('no route opens stored credentials: decryption happens in core', () => {
    const opening = sources.filter(({ text }) => /\.credentials\(|decrypt|vault/i.test(text));
    expect(opening.map((s) => s.file)).toEqual([]);
  });
});
