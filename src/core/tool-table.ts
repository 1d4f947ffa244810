/**
 * A compiled, immutable table of an agent version's tools: argument validators and the serialized
 * tool lists in each format, built once per published version. Versions never change, so the cache
 * needs no invalidation — only the agent's live-version pointer is read per call.
 */
import type { ValidateFunction } from 'ajv';
import type { SkillsTable } from '../store/schema.ts';
import { type DecodedSkillRow, decodeSkillRow } from '../store/skill-rows.ts';
import { admitsNull, type JsonSchemaObject, type Skill, viewSkill } from './skill-model.ts';
import { compile } from './validate.ts';

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
        inputSchema: mcpInputSchema(skill),
        annotations: {
          title: skill.name,
          readOnlyHint: !skill.isWrite,
          destructiveHint: skill.isWrite,
          openWorldHint: true,
        },
      };
  }
}

/**
 * MCP clients have no side channel for "the caller confirmed" or "the caller is verified", so gated
 * tools take those as extra boolean arguments there.
 */
export function mcpInputSchema(skill: Skill): JsonSchemaObject {
  const schema = skill.parametersSchema;
  const extra: Record<string, Record<string, unknown>> = {};
  if (skill.requiresConfirmation)
    extra.confirmed = {
      type: 'boolean',
      description: 'true only after the caller explicitly confirmed this action',
    };
  if (skill.requiresVerifiedIdentity)
    extra.callerVerified = {
      type: 'boolean',
      description: "true only when the caller's identity was verified",
    };
  if (!Object.keys(extra).length) return schema;
  return { ...schema, properties: { ...schema.properties, ...extra } };
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
  return { versionId, versionNumber, tools, serialized: new Map() };
}

/** The `/tools` response body for a table and format, serialized once. */
export function serializedTools(table: ToolTable, agentId: string, format: ToolFormat): string {
  let body = table.serialized.get(format);
  if (!body) {
    const tools = [...table.tools.values()].map((t) => toolDefinition(t.skill, format));
    const version = table.versionId ? { id: table.versionId, number: table.versionNumber } : null;
    body = JSON.stringify({ success: true, data: { agentId, format, version, tools } });
    table.serialized.set(format, body);
  }
  return body;
}
