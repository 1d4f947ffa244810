/**
 * Flowyte's documented skill body (issue 10) onto ours: a tool name from a human name, a plain JSON
 * Schema with `requiredParams` turned into the strict form every tool format accepts, and the skill
 * types this server runs, refuses (422) or reserves (403).
 */
import { AppError } from '../../errors.ts';
import { type JsonSchemaObject, SKILL_TYPES, TOOL_NAME } from './model.ts';

/** Types made by hand here; the others this server runs come from provisioning, bindings and packs. */
export const HAND_MADE_TYPES = ['http_webhook'] as const;

/** Flowyte's types that belong to features outside this server (403 reserved rather than 422). */
const RESERVED_TYPES = new Set(['mcp']);

/** A 422 for a type this server cannot run, a 403 for a reserved one; known types pass. */
export function checkSkillType(skillType: string): void {
  if (RESERVED_TYPES.has(skillType))
    throw new AppError('reserved', `skills of type ${skillType} are reserved and not served by this server`, {
      errors: [{ field: 'skillType', message: `${skillType} is reserved` }],
    });
  if (!(SKILL_TYPES as readonly string[]).includes(skillType))
    throw new AppError(
      'unsupported_skill_type',
      `this server cannot run skills of type ${skillType.slice(0, 64)}; it runs ${SKILL_TYPES.join(', ')} (by hand: ${HAND_MADE_TYPES.join(', ')})`,
      {
        errors: [{ field: 'skillType', message: `must be one of ${HAND_MADE_TYPES.join(', ')}` }],
        extensions: { supportedTypes: [...SKILL_TYPES], handMadeTypes: [...HAND_MADE_TYPES] },
      },
    );
}

/**
 * A valid tool name from what a person wrote: "Look up the caller" → `look_up_the_caller`. The second
 * value is the title to keep (null when the name was already a tool name).
 */
export function toolNameOf(name: string): { name: string; title: string | null } {
  if (TOOL_NAME.test(name)) return { name, title: null };
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return { name: slug || 'skill', title: name.trim().slice(0, 200) };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** A property made optional the strict-mode way: it admits null. */
function nullable(prop: Record<string, unknown>): Record<string, unknown> {
  const t = prop.type;
  if (t === undefined || prop.anyOf !== undefined || prop.enum !== undefined) {
    if (prop.enum !== undefined && Array.isArray(prop.enum) && !prop.enum.includes(null))
      return { ...prop, ...(t ? { type: [t, 'null'].flat() } : {}), enum: [...prop.enum, null] };
    return prop.anyOf ? { ...prop, anyOf: [...(prop.anyOf as unknown[]), { type: 'null' }] } : prop;
  }
  const types = Array.isArray(t) ? t : [t];
  return types.includes('null') ? prop : { ...prop, type: [...types, 'null'] };
}

/** Closes every object and lists every property as required, optional ones admitting null. */
function strictObject(schema: Record<string, unknown>, required: string[] | null): Record<string, unknown> {
  const props = isObject(schema.properties) ? schema.properties : {};
  const req = required ?? (Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, raw] of Object.entries(props)) {
    if (!isObject(raw)) {
      out[name] = raw as Record<string, unknown>;
      continue;
    }
    const inner = strictNode(raw);
    out[name] = req.includes(name) ? inner : nullable(inner);
  }
  return {
    ...schema,
    type: 'object',
    properties: out,
    required: Object.keys(out),
    additionalProperties: false,
  };
}

function strictNode(node: Record<string, unknown>): Record<string, unknown> {
  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (types.includes('object') && isObject(node.properties)) return strictObject(node, null);
  if (types.includes('array') && isObject(node.items)) return { ...node, items: strictNode(node.items) };
  return node;
}

/**
 * Flowyte's parametersSchema ({ type: object, properties, required }) with `requiredParams` as the
 * required list when given: the strict form, where an optional parameter admits null. A schema that
 * is already strict comes back unchanged.
 */
export function strictParametersSchema(schema: unknown, requiredParams?: string[]): JsonSchemaObject {
  if (schema === undefined) schema = { type: 'object', properties: {} };
  if (!isObject(schema) || schema.type !== 'object') return schema as JsonSchemaObject;
  if (requiredParams) {
    const props = isObject(schema.properties) ? Object.keys(schema.properties) : [];
    const unknown = requiredParams.filter((p) => !props.includes(p));
    if (unknown.length)
      throw new AppError(
        'validation_error',
        'requiredParams names parameters parametersSchema does not have',
        {
          errors: unknown.map((p) => ({
            field: 'requiredParams',
            message: `"${p.slice(0, 64)}" is not a property`,
          })),
        },
      );
  }
  return strictObject(schema, requiredParams ?? null) as JsonSchemaObject;
}
