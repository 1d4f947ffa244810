/** Parameter names, parameter/column type agreement, and operator constants of a binding. */
import type { SchemaField } from '../../providers/types.ts';
import { canonicalParameter } from './canonical-parameters.ts';
import { type Problems, RESERVED_PARAMS, SAFE_NAME } from './model.ts';
import { columnSchema, type ParamUse } from './params.ts';

export function checkParam(name: string, at: string, p: Problems): boolean {
  if (!SAFE_NAME.test(name)) {
    p.add(
      at,
      'a parameter name must start with a letter or underscore and hold only letters, digits and underscores (at most 64)',
    );
    return false;
  }
  if (RESERVED_PARAMS.has(name)) {
    p.add(at, `"${name}" is reserved for the runtime's confirmation and verification flags`);
    return false;
  }
  return true;
}

const jsonTypeOf = (field: SchemaField) => columnSchema(field).type as string;

/**
 * A canonical parameter must fit the column it feeds (its registered field types), and a parameter
 * used twice must feed columns of one JSON type: the caller supplies one value.
 */
export function checkParamTypes(uses: ParamUse[], p: Problems): void {
  const first = new Map<string, ParamUse>();
  for (const use of uses) {
    const canonical = canonicalParameter(use.param);
    const column = `${use.object.name}.${use.field.name}`;
    if (canonical && !canonical.fits.includes(use.field.type)) {
      p.add(
        use.at,
        `type mismatch: the canonical parameter ${use.param} is a ${canonical.fits.join(' or ')} value, but ${column} is ${use.field.type} (${use.field.nativeType}); bind it to a fitting column or name the parameter differently`,
      );
      continue;
    }
    const before = first.get(use.param);
    if (!before) {
      first.set(use.param, use);
      continue;
    }
    if (jsonTypeOf(before.field) !== jsonTypeOf(use.field) || before.field.type !== use.field.type) {
      p.add(
        use.at,
        `type mismatch: ${use.param} feeds ${before.object.name}.${before.field.name} (${before.field.type}) and ${column} (${use.field.type}); use two parameters`,
      );
    }
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why an operator constant cannot go into a column, or null when it fits. */
export function constProblem(field: SchemaField, value: unknown): string | null {
  const column = `${field.name} (${field.type})`;
  if (value === null) return field.nullable ? null : `${column} is NOT NULL`;
  const schema = columnSchema(field);
  switch (field.type) {
    case 'integer': {
      const ok =
        typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= (schema.minimum as number) &&
        value <= (schema.maximum as number);
      return ok
        ? null
        : `type mismatch: ${column} needs an integer between ${schema.minimum} and ${schema.maximum}`;
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? null
        : `type mismatch: ${column} needs a number`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `type mismatch: ${column} needs true or false`;
  }
  if (typeof value !== 'string') return `type mismatch: ${column} needs a string`;
  if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
    return `${column} holds at most ${schema.maxLength} characters`;
  if (field.type === 'date' && !DATE.test(value)) return `type mismatch: ${column} needs YYYY-MM-DD`;
  if (field.type === 'datetime' && !DATETIME.test(value))
    return `type mismatch: ${column} needs an ISO 8601 date-time`;
  if (field.type === 'time' && !TIME.test(value)) return `type mismatch: ${column} needs HH:MM[:SS]`;
  if (field.type === 'uuid' && !UUID.test(value)) return `type mismatch: ${column} needs a UUID`;
  if (field.type === 'enum' && field.enumValues?.length && !field.enumValues.includes(value)) {
    return `${column} accepts only ${field.enumValues.slice(0, 20).join(', ')}`;
  }
  return null;
}
