import { describe, expect, test } from 'vitest';
import type { FieldType, SchemaField } from '../../providers/types.ts';
import { checkParametersSchema } from '../agents/index.ts';
import { redactArguments } from '../runtime/index.ts';
import { CANONICAL_PARAMETERS, canonicalRegistry } from './canonical-parameters.ts';
import { buildParametersSchema, columnSchema } from './params.ts';

const field = (type: FieldType, nativeType: string, over: Partial<SchemaField> = {}): SchemaField => ({
  name: 'f',
  type,
  nativeType,
  nullable: false,
  primaryKey: false,
  unique: false,
  leadingIndex: true,
  pii: null,
  ...over,
});
const object = {
  name: 'o',
  label: 'O',
  kind: 'table' as const,
  fields: [],
  capabilities: [],
  primaryKey: [],
};

describe('canonical parameters', () => {
  test('every entry is a strict-mode schema with a model-facing description and the SPEC names', () => {
    const names = CANONICAL_PARAMETERS.map((p) => p.name);
    for (const n of [
      'caller_phone',
      'caller_name',
      'caller_email',
      'service_address',
      'order_number',
      'appointment_time',
      'date',
      'party_size',
      'notes',
    ])
      expect(names).toContain(n);
    expect(new Set(names).size).toBe(names.length);
    for (const p of CANONICAL_PARAMETERS) {
      expect(() =>
        checkParametersSchema({
          type: 'object',
          properties: { [p.name]: p.schema },
          required: [p.name],
          additionalProperties: false,
        }),
      ).not.toThrow();
      expect(p.schema.description.length).toBeGreaterThan(20);
    }
    expect(canonicalRegistry()[0]).toMatchObject({ name: 'caller_phone', type: 'string', pii: 'phone' });
  });

  test('a canonical name fitted to another column type keeps its description and takes the column type', () => {
    const schema = buildParametersSchema([
      { param: 'order_number', field: field('integer', 'bigint'), object, role: 'filter', at: 'x' },
    ]);
    expect(schema.properties.order_number).toMatchObject({
      type: 'integer',
      minimum: Number.MIN_SAFE_INTEGER,
      description: expect.stringMatching(/order number/),
    });
  });

  test('column schemas take their bounds from the native type, and all pass strict mode', () => {
    expect(columnSchema(field('integer', 'tinyint(3) unsigned'))).toMatchObject({ minimum: 0, maximum: 255 });
    expect(columnSchema(field('integer', 'smallint'))).toMatchObject({ minimum: -32768, maximum: 32767 });
    expect(columnSchema(field('string', 'character varying(12)'))).toMatchObject({ maxLength: 12 });
    expect(columnSchema(field('enum', 'mood', { enumValues: ['sad', 'ok'] }))).toEqual({
      type: 'string',
      enum: ['sad', 'ok'],
    });
    const types: [FieldType, string][] = [
      ['string', 'text'],
      ['integer', 'int'],
      ['number', 'numeric'],
      ['boolean', 'bool'],
      ['date', 'date'],
      ['datetime', 'timestamptz'],
      ['time', 'time'],
      ['uuid', 'uuid'],
      ['enum', 'e'],
    ];
    const uses = types.map(([t, n], i) => ({
      param: `p${i}`,
      field: field(t, n),
      object,
      role: 'value' as const,
      at: 'x',
      optional: i % 2 === 0,
    }));
    expect(() => checkParametersSchema(buildParametersSchema(uses))).not.toThrow();
  });

  test('canonical PII parameters are redacted in the execution log by their name', () => {
    const schema = buildParametersSchema([
      { param: 'caller_email', field: field('string', 'text'), object, role: 'filter', at: 'x' },
      { param: 'caller_phone', field: field('string', 'text'), object, role: 'value', at: 'y' },
    ]);
    expect(redactArguments({ caller_email: 'a@b.c', caller_phone: '+1555' }, schema)).toEqual({
      caller_email: '[redacted:email]',
      caller_phone: '[redacted:phone]',
    });
  });
});
