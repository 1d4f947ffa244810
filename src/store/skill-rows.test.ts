import { afterEach, describe, expect, test, vi } from 'vitest';
import { buildToolTable } from '../core/runtime/index.ts';
import type { SkillsTable } from './schema.ts';
import { decodeSkillRow } from './skill-rows.ts';

const row: SkillsTable = {
  id: 'skl_1',
  org_id: 'org_1',
  agent_id: 'agt_1',
  name: 'find_customer',
  description: 'Finds a customer',
  skill_type: 'native_sql',
  source: JSON.stringify({ kind: 'postgres', binding: { table: 'customer' } }),
  parameters_schema: JSON.stringify({ type: 'object', properties: { email: { type: 'string' } } }),
  execution_config: JSON.stringify({ statementTimeoutMs: 5000 }),
  secrets: null,
  compiled: JSON.stringify({ sql: 'SELECT 1', outputs: [{ name: 'email' }] }),
  is_write: 0,
  requires_confirmation: 0,
  non_parallelizable: 0,
  requires_verified_identity: 0,
  is_enabled: 1,
  profile: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

afterEach(() => vi.restoreAllMocks());

describe('skill rows', () => {
  test('every JSON column decodes in one call; no profile means an empty one', () => {
    expect(decodeSkillRow(row)).toEqual({
      row,
      parametersSchema: { type: 'object', properties: { email: { type: 'string' } } },
      source: { kind: 'postgres', binding: { table: 'customer' } },
      executionConfig: { statementTimeoutMs: 5000 },
      profile: {},
      compiled: { sql: 'SELECT 1', outputs: [{ name: 'email' }] },
    });
  });

  test('a tool table parses each column of a row once, and its tools share the decoded values', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const table = buildToolTable([row], 'ver_1', 1);
    // parameters_schema, source, execution_config, compiled: profile is null.
    expect(parse).toHaveBeenCalledTimes(4);
    const tool = table.tools.get('find_customer')!;
    expect(tool.skill.executionConfig).toBe(tool.decoded.executionConfig);
    expect(tool.skill.allowedFields).toEqual(['email']);
  });
});
