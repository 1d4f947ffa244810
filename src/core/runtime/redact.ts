/** Redacts PII-classed argument values before an invocation is recorded. */
import { classifyPii } from '../../providers/pii.ts';
import type { FieldType } from '../../providers/types.ts';
import type { JsonSchemaObject } from '../skills/index.ts';

function typeOf(schema: Record<string, unknown> | undefined): FieldType {
  const t = schema?.type;
  const first = Array.isArray(t) ? t.find((x) => x !== 'null') : t;
  if (first === 'integer' || first === 'number' || first === 'boolean') return first;
  if (schema?.format === 'date') return 'date';
  if (schema?.format === 'date-time') return 'datetime';
  return 'string';
}

export function redactArguments(
  args: Record<string, unknown>,
  schema: JsonSchemaObject | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    const propSchema = schema?.properties?.[name];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[name] = redactArguments(
        value as Record<string, unknown>,
        propSchema as JsonSchemaObject | undefined,
      );
      continue;
    }
    const pii =
      value === null
        ? null
        : classifyPii({
            name,
            type: typeOf(propSchema),
            comment: (propSchema?.description as string) ?? null,
          });
    out[name] = pii ? `[redacted:${pii}]` : value;
  }
  return out;
}
