/**
 * A compiled, immutable table of an agent version's tools: argument validators and the serialized
 * tool lists in each format, built once per published version. Versions never change, so the cache
 * needs no invalidation — only the agent's live-version pointer is read per call.
 */
import type { ValidateFunction } from 'ajv';
import type { SkillsTable } from '../../store/schema.ts';
import { type DecodedSkillRow, decodeSkillRow } from '../../store/skill-rows.ts';
import { compile } from '../shared/index.ts';
import { admitsNull, type Skill, viewSkill } from '../skills/index.ts';

export type ToolFormat = 'openai' | 'anthropic' | 'mcp';

export interface CompiledTool {
  row: SkillsTable;
  /** The row's JSON columns, decoded once with the table. */
  decoded: DecodedSkillRow;
  skill: Skill;
  validate: ValidateFunction;
  /** Top-level parameters that admit null: filled with null when a caller leaves them out. */
  nullable: string[];
}

export interface ToolTable {
  versionId: string | null;
  versionNumber: number | null;
  tools: Map<string, CompiledTool>;
  /** Cached response bodies per format. */
  serialized: Map<ToolFormat, string>;
  /** Tools compiled from a binding: the ones the operator's scoping can put under review. */
  bound: CompiledTool[];
}

export function toolDefinition(skill: Skill, format: ToolFormat): Record<string, unknown> {
  const schema = skill.parametersSchema;
  switch (format) {
    case 'openai':
      return {
        type: 'function',
        function: { name: skill.name, description: skill.description, parameters: schema, strict: true },
      };
    case 'anthropic':
      return { name: skill.name, description: skill.description, input_schema: schema };
    case 'mcp':
      return {
        name: skill.name,
        description: skill.description,
        // Only the caller's parameters: the gates are the host's (confirmation tokens), never arguments.
        inputSchema: schema,
        annotations: {
          title: skill.name,
          readOnlyHint: !skill.isWrite,
          destructiveHint: skill.isWrite,
          openWorldHint: true,
        },
      };
  }
}

export function buildToolTable(
  rows: SkillsTable[],
  versionId: string | null,
  versionNumber: number | null,
): ToolTable {
  const tools = new Map<string, CompiledTool>();
  for (const row of rows) {
    if (row.is_enabled !== 1) continue;
    const decoded = decodeSkillRow(row);
    const skill = viewSkill(decoded);
    tools.set(skill.name, {
      row,
      decoded,
      skill,
      validate: compile(skill.parametersSchema),
      nullable: Object.entries(skill.parametersSchema.properties ?? {})
        .filter(([, s]) => admitsNull(s))
        .map(([k]) => k),
    });
  }
  const bound = [...tools.values()].filter((t) => t.skill.source.binding !== undefined);
  return { versionId, versionNumber, tools, serialized: new Map(), bound };
}

/** The tools a table serves: all but those under review (scoping blocks what they use). */
export function servedTools(table: ToolTable, underReview: ReadonlySet<string>): CompiledTool[] {
  return [...table.tools.values()].filter((t) => !t.row.review && !underReview.has(t.skill.name));
}

/**
 * The `/tools` response body for a table and format, serialized once; a table with tools under
 * review (rare, until the operator acts) is serialized per request.
 */
export function serializedTools(
  table: ToolTable,
  agentId: string,
  format: ToolFormat,
  underReview: ReadonlySet<string> = new Set(),
): string {
  const cacheable = underReview.size === 0;
  let body = cacheable ? table.serialized.get(format) : undefined;
  if (!body) {
    const tools = servedTools(table, underReview).map((t) => toolDefinition(t.skill, format));
    const version = table.versionId ? { id: table.versionId, number: table.versionNumber } : null;
    body = JSON.stringify({ success: true, data: { agentId, format, version, tools } });
    if (cacheable) table.serialized.set(format, body);
  }
  return body;
}
