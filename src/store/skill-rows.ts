/**
 * The JSON columns of a skills row, decoded in one place. A published version's rows are decoded
 * once, when its tool table is built; an invocation reads the decoded values and parses nothing.
 */
import type { SkillsTable } from './schema.ts';

export interface DecodedSkillRow {
  row: SkillsTable;
  parametersSchema: Record<string, unknown>;
  source: { kind: string; action?: string } & Record<string, unknown>;
  executionConfig: Record<string, unknown>;
  /** Title, channels, error handling (absent on old rows). */
  profile: Record<string, unknown>;
  /** The compiled binding, when the skill has one. */
  compiled: Record<string, unknown> | undefined;
}

export function decodeSkillRow(row: SkillsTable): DecodedSkillRow {
  return {
    row,
    parametersSchema: JSON.parse(row.parameters_schema),
    source: JSON.parse(row.source),
    executionConfig: JSON.parse(row.execution_config),
    profile: row.profile ? JSON.parse(row.profile) : {},
    compiled: row.compiled ? JSON.parse(row.compiled) : undefined,
  };
}
