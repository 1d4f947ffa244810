/** The skill object of the API (SPEC §4), and the rules its parameters schema must follow. */
import type { FieldError } from '../../errors.ts';
import type { SkillsTable } from '../../store/schema.ts';
import { type DecodedSkillRow, decodeSkillRow } from '../../store/skill-rows.ts';

export const SKILL_TYPES = [
  'calendar',
  'google_sheets',
  'native_sql',
  'native_graphql',
  'http_webhook',
] as const;
export type SkillType = (typeof SKILL_TYPES)[number];

export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface SkillSource {
  kind: string;
  action?: string;
  binding?: string;
  preset?: string;
}

/** Channels a skill may serve on (Flowyte's agent channels). */
export const CHANNELS = ['voice', 'chat'] as const;

/** What a skill does when its call fails (Flowyte's `errorHandling`); empty = the runtime's typed problems. */
export interface ErrorHandling {
  /** What the agent should say when the call fails. */
  fallbackMessage?: string;
  /** Whether the runtime may retry a failure marked retryable. */
  retry?: boolean;
}

/** The skill fields kept in `skills.profile` (JSON); absent ones take the defaults. */
export interface SkillProfile {
  /** A human title: the `toolName` as sent when it was not a valid tool name ("Look up the caller"). */
  title?: string;
  channels?: string[];
  errorHandling?: ErrorHandling;
}

export interface Skill {
  id: string;
  agentId: string;
  organizationId: string;
  name: string;
  /** The name as a person wrote it, when it had to be turned into a tool name; else null. */
  title: string | null;
  description: string;
  skillType: SkillType;
  source: SkillSource;
  parametersSchema: JsonSchemaObject;
  requiredParams: string[];
  executionConfig: Record<string, unknown>;
  isWrite: boolean;
  requiresConfirmation: boolean;
  nonParallelizable: boolean;
  requiresVerifiedIdentity: boolean;
  isEnabled: boolean;
  /**
   * The operator's scoping now blocks an object or field the skill's binding uses: it is left out
   * of the tool table and refused at invoke until its binding is saved again (or it is removed).
   */
  needsReview: boolean;
  /** Why it needs review (the binding's problems under the current scoping); null when it does not. */
  review: SkillReviewNote | null;
  /**
   * Where the skill's data goes: destination → the fields sent there. `model` is the agent's LLM (the
   * outputs a call returns), `provider:<kind>` the connected system, a webhook its origin.
   */
  dataEgressMap: Record<string, string[]>;
  /** The output fields the skill may return to the model (a binding's projection); [] when open-ended. */
  allowedFields: string[];
  channels: string[];
  errorHandling: ErrorHandling;
  /** Mean duration of its successful calls, in ms; null before any. */
  expectedLatencyMs: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface SkillReviewNote {
  reason: string;
  errors: FieldError[];
  since: string;
}

export interface JsonSchemaObject {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
  additionalProperties?: boolean;
  [k: string]: unknown;
}

/** Parameters a skill's caller must supply: those whose schema does not admit null. */
export function requiredParamsOf(schema: JsonSchemaObject): string[] {
  return Object.entries(schema.properties ?? {})
    .filter(([, s]) => !admitsNull(s))
    .map(([name]) => name);
}

/** Whether a property schema accepts null: strict mode's way of making a parameter optional. */
export function admitsNull(s: Record<string, unknown>): boolean {
  const t = s.type;
  if (t === 'null' || (Array.isArray(t) && t.includes('null'))) return true;
  const anyOf = s.anyOf as Record<string, unknown>[] | undefined;
  return Array.isArray(anyOf) && anyOf.some((x) => admitsNull(x));
}

/** Output names of a compiled binding (its projection), never the statement itself. */
function compiledOutputs(compiledBinding: Record<string, unknown> | undefined): string[] {
  if (!compiledBinding) return [];
  const compiled = compiledBinding as { outputs?: { name?: unknown }[] };
  return (compiled.outputs ?? []).map((o) => o.name).filter((n): n is string => typeof n === 'string');
}

function webhookOrigin(config: Record<string, unknown>): string | null {
  try {
    return typeof config.url === 'string' ? new URL(config.url).origin : null;
  } catch {
    return null;
  }
}

/** Which fields leave for where: parameters to the system the skill calls, outputs to the model. */
export function dataEgressOf(
  row: SkillsTable,
  source: SkillSource,
  params: string[],
  config: Record<string, unknown>,
  compiled: Record<string, unknown> | undefined,
): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  const target = row.skill_type === 'http_webhook' ? webhookOrigin(config) : `provider:${source.kind}`;
  if (target && params.length) map[target] = params;
  const outputs = compiledOutputs(compiled);
  if (outputs.length) map.model = outputs;
  return map;
}

/** The API view of a skill row. Execution configs never hold secrets (those are sealed apart). */
export function viewSkill(
  row: SkillsTable | DecodedSkillRow,
  expectedLatencyMs: number | null = null,
): Skill {
  const decoded = 'row' in row ? row : decodeSkillRow(row);
  row = decoded.row;
  const schema = decoded.parametersSchema as JsonSchemaObject;
  const source = decoded.source as SkillSource;
  const executionConfig = decoded.executionConfig;
  const profile = decoded.profile as SkillProfile;
  const params = Object.keys(schema.properties ?? {});
  return {
    id: row.id,
    agentId: row.agent_id,
    organizationId: row.org_id,
    name: row.name,
    title: profile.title ?? null,
    description: row.description,
    skillType: row.skill_type as SkillType,
    source,
    parametersSchema: schema,
    requiredParams: requiredParamsOf(schema),
    executionConfig,
    isWrite: row.is_write === 1,
    requiresConfirmation: row.requires_confirmation === 1,
    nonParallelizable: row.non_parallelizable === 1,
    requiresVerifiedIdentity: row.requires_verified_identity === 1,
    isEnabled: row.is_enabled === 1,
    needsReview: Boolean(row.review),
    review: row.review ? (JSON.parse(row.review) as SkillReviewNote) : null,
    dataEgressMap: dataEgressOf(row, source, params, executionConfig, decoded.compiled),
    allowedFields: compiledOutputs(decoded.compiled),
    channels: profile.channels ?? [...CHANNELS],
    errorHandling: profile.errorHandling ?? {},
    expectedLatencyMs,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// ---- OpenAI strict-mode rules (structured outputs / strict function calling) ----

const STRICT_UNSUPPORTED = [
  'patternProperties',
  'unevaluatedProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'unevaluatedItems',
  'contains',
  'minContains',
  'maxContains',
  'uniqueItems',
  'if',
  'then',
  'else',
  'not',
  'dependentRequired',
  'dependentSchemas',
  'allOf',
  'oneOf',
];
const MAX_DEPTH = 10;
const MAX_PROPERTIES = 5000;
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/**
 * Checks a parameters schema against the rules OpenAI enforces with `strict: true`: an object at the
 * root, every object closed (`additionalProperties: false`) with every property listed in
 * `required` (optional ones admit null instead), supported keywords only, bounded depth and size.
 */
export function strictSchemaErrors(schema: unknown, field = 'parametersSchema'): FieldError[] {
  const errors: FieldError[] = [];
  let propertyCount = 0;
  const visit = (s: unknown, path: string, depth: number): void => {
    if (depth > MAX_DEPTH) {
      errors.push({ field: path, message: `nests deeper than ${MAX_DEPTH} levels` });
      return;
    }
    if (s === null || typeof s !== 'object' || Array.isArray(s)) {
      errors.push({ field: path, message: 'must be a JSON Schema object' });
      return;
    }
    const node = s as Record<string, unknown>;
    for (const k of STRICT_UNSUPPORTED)
      if (k in node) errors.push({ field: `${path}.${k}`, message: 'is not supported in strict mode' });
    if (node.anyOf !== undefined) {
      if (!Array.isArray(node.anyOf) || node.anyOf.length === 0)
        errors.push({ field: `${path}.anyOf`, message: 'must be a non-empty array' });
      else for (const [i, x] of node.anyOf.entries()) visit(x, `${path}.anyOf[${i}]`, depth + 1);
      return;
    }
    if (node.$ref !== undefined || node.enum !== undefined || node.const !== undefined) {
      if (node.enum !== undefined && (!Array.isArray(node.enum) || node.enum.length === 0))
        errors.push({ field: `${path}.enum`, message: 'must be a non-empty array' });
      return;
    }
    const types = Array.isArray(node.type) ? node.type : [node.type];
    if (node.type === undefined || types.some((t) => typeof t !== 'string' || !TYPES.has(t))) {
      errors.push({
        field: `${path}.type`,
        message: 'must be one of string, number, integer, boolean, object, array, null (or a list of them)',
      });
      return;
    }
    if (types.includes('object')) {
      const props = node.properties;
      if (props === null || typeof props !== 'object' || Array.isArray(props)) {
        errors.push({ field: `${path}.properties`, message: 'is required on every object' });
        return;
      }
      if (node.additionalProperties !== false)
        errors.push({ field: `${path}.additionalProperties`, message: 'must be false in strict mode' });
      const names = Object.keys(props);
      propertyCount += names.length;
      const required = Array.isArray(node.required) ? node.required : [];
      for (const name of names) {
        if (!required.includes(name))
          errors.push({
            field: `${path}.required`,
            message: `must list "${name}" (make it optional by admitting null)`,
          });
        visit((props as Record<string, unknown>)[name], `${path}.properties.${name}`, depth + 1);
      }
      for (const r of required)
        if (!names.includes(r as string))
          errors.push({ field: `${path}.required`, message: `lists "${r}", which is not a property` });
    }
    if (types.includes('array')) {
      if (node.items === undefined) errors.push({ field: `${path}.items`, message: 'is required on arrays' });
      else visit(node.items, `${path}.items`, depth + 1);
    }
  };
  if (
    schema === null ||
    typeof schema !== 'object' ||
    (schema as Record<string, unknown>).type !== 'object'
  ) {
    return [{ field, message: 'must be a JSON Schema with "type": "object" at the root' }];
  }
  visit(schema, field, 0);
  if (propertyCount > MAX_PROPERTIES)
    errors.push({ field, message: `has more than ${MAX_PROPERTIES} properties` });
  return errors;
}
