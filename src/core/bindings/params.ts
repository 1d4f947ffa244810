/**
 * The caller-facing parameters of a bound skill: a JSON Schema per parameter derived from the column
 * it feeds (bounds from the native type so the database never sees an out-of-range value), with the
 * canonical description where the name is canonical. The result passes OpenAI strict mode.
 */
import type { FieldType, SchemaField, SchemaObject } from '../../providers/types.ts';
import type { JsonSchemaObject } from '../skills/index.ts';
import { type CanonicalParameter, canonicalParameter } from './canonical-parameters.ts';

/** Field types a caller can supply as one JSON scalar. */
export const BINDABLE_TYPES = new Set<FieldType>([
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'datetime',
  'time',
  'enum',
  'uuid',
]);

const INT_RANGES: [RegExp, number, number][] = [
  [/^(tinyint)\b.*unsigned/i, 0, 255],
  [/^(tinyint)\b/i, -128, 127],
  [/^(smallint|int2)\b.*unsigned/i, 0, 65535],
  [/^(smallint|int2|smallserial)\b/i, -32768, 32767],
  [/^(mediumint)\b.*unsigned/i, 0, 16777215],
  [/^(mediumint)\b/i, -8388608, 8388607],
  [/^(int|integer|int4|serial)\b.*unsigned/i, 0, 4294967295],
  [/^(int|integer|int4|serial)\b/i, -2147483648, 2147483647],
];

/** The JSON Schema of one value of a column, without a description. */
export function columnSchema(field: SchemaField): Record<string, unknown> {
  switch (field.type) {
    case 'integer': {
      const range = INT_RANGES.find(([re]) => re.test(field.nativeType));
      const [min, max] = range ? [range[1], range[2]] : [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
      return { type: 'integer', minimum: min, maximum: max };
    }
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'time':
      return { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?$' };
    case 'uuid':
      return { type: 'string', format: 'uuid' };
    case 'enum':
      return field.enumValues?.length ? { type: 'string', enum: [...field.enumValues] } : { type: 'string' };
    default: {
      const length = /char(?:acter)?(?: varying)?\s*\((\d+)\)/i.exec(field.nativeType);
      return length ? { type: 'string', maxLength: Number(length[1]) } : { type: 'string', maxLength: 4000 };
    }
  }
}

/** Whether a canonical parameter may feed a column of this type. */
export const canonicalFits = (c: CanonicalParameter, field: SchemaField) => c.fits.includes(field.type);

/**
 * A canonical parameter adapted to the column: its description always; its own type and format
 * where the column has that type, else the column's (an `order_number` feeding an integer key).
 */
function canonicalSchema(c: CanonicalParameter, field: SchemaField): Record<string, unknown> {
  const own = c.fits[0] === field.type;
  const base: Record<string, unknown> = own
    ? { ...c.schema }
    : { ...columnSchema(field), description: c.schema.description };
  const column = columnSchema(field);
  if (own && typeof column.maxLength === 'number' && typeof base.maxLength === 'number') {
    base.maxLength = Math.min(base.maxLength, column.maxLength);
  }
  return base;
}

const words = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\s]+/g, ' ')
    .trim()
    .toLowerCase();

export interface ParamUse {
  param: string;
  field: SchemaField;
  object: SchemaObject;
  role: 'filter' | 'value' | 'key';
  /** Where the binding body names it, for errors. */
  at: string;
  /** The parameter may be left out (null): a nullable column an INSERT may leave empty. */
  optional?: boolean;
}

function describe(use: ParamUse): string {
  const what = `the ${words(use.field.name)} of the ${use.object.label.toLowerCase()}`;
  if (use.role === 'filter') return `Look up by ${what} (exact match).`;
  if (use.role === 'key') return `Which record to change: ${what}, exactly as stored.`;
  return `The new value for ${what}.${use.optional ? ' null leaves it empty.' : ''}`;
}

/** The parameters schema of a binding; the first use of each parameter decides its schema. */
export function buildParametersSchema(uses: ParamUse[]): JsonSchemaObject {
  const properties: Record<string, Record<string, unknown>> = {};
  for (const use of uses) {
    if (properties[use.param]) continue;
    const canonical = canonicalParameter(use.param);
    const schema =
      canonical && canonicalFits(canonical, use.field)
        ? canonicalSchema(canonical, use.field)
        : { ...columnSchema(use.field), description: describe(use) };
    if (use.optional) schema.type = [schema.type as string, 'null'];
    if (use.optional && Array.isArray(schema.enum)) schema.enum = [...(schema.enum as unknown[]), null];
    properties[use.param] = schema;
  }
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}
