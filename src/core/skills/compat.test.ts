import { describe, expect, test } from 'vitest';
import { checkSkillType, strictParametersSchema, toolNameOf } from './compat.ts';
import { strictSchemaErrors } from './model.ts';

describe('toolNameOf', () => {
  test('a valid tool name stays as it is, with no title', () => {
    expect(toolNameOf('find_customer')).toEqual({ name: 'find_customer', title: null });
  });
  test('a name a person wrote becomes a tool name and is kept as the title', () => {
    expect(toolNameOf('Look up the caller')).toEqual({
      name: 'look_up_the_caller',
      title: 'Look up the caller',
    });
    expect(toolNameOf('  Réserver un rendez-vous! ')).toEqual({
      name: 'reserver_un_rendez-vous',
      title: 'Réserver un rendez-vous!',
    });
    expect(toolNameOf('???').name).toBe('skill');
    expect(toolNameOf(`${'x'.repeat(70)} y`).name).toHaveLength(64);
  });
});

describe('strictParametersSchema', () => {
  test("Flowyte's plain schema: required ones stay, the others admit null, objects are closed", () => {
    const out = strictParametersSchema({
      type: 'object',
      properties: {
        phone: { type: 'string' },
        size: { type: 'integer' },
        when: { type: 'string', enum: ['am', 'pm'] },
        address: { type: 'object', properties: { zip: { type: 'string' } }, required: ['zip'] },
      },
      required: ['phone'],
    });
    expect(out).toEqual({
      type: 'object',
      properties: {
        phone: { type: 'string' },
        size: { type: ['integer', 'null'] },
        when: { type: ['string', 'null'], enum: ['am', 'pm', null] },
        address: {
          type: ['object', 'null'],
          properties: { zip: { type: 'string' } },
          required: ['zip'],
          additionalProperties: false,
        },
      },
      required: ['phone', 'size', 'when', 'address'],
      additionalProperties: false,
    });
    expect(strictSchemaErrors(out)).toEqual([]);
  });
  test('requiredParams decides what is required; an unknown name is a validation error', () => {
    const out = strictParametersSchema(
      { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, required: ['a'] },
      ['b'],
    );
    expect(out.properties).toEqual({ a: { type: ['string', 'null'] }, b: { type: 'string' } });
    expect(() => strictParametersSchema({ type: 'object', properties: {} }, ['zip'])).toThrow(
      /requiredParams/,
    );
  });
  test('no schema means no parameters; an already strict schema comes back the same', () => {
    expect(strictParametersSchema(undefined)).toEqual({
      type: 'object',
      properties: {},
      required: [],
      additionalProperties: false,
    });
    const strict = {
      type: 'object' as const,
      properties: { a: { type: ['string', 'null'] } },
      required: ['a'],
      additionalProperties: false,
    };
    expect(strictParametersSchema(strict)).toEqual(strict);
  });
});

describe('checkSkillType', () => {
  test('types this server runs pass; others are 422 unsupported_skill_type; mcp is 403 reserved', () => {
    for (const t of ['http_webhook', 'calendar', 'native_sql']) expect(() => checkSkillType(t)).not.toThrow();
    expect(() => checkSkillType('transfer')).toThrow(
      expect.objectContaining({ code: 'unsupported_skill_type', status: 422 }),
    );
    expect(() => checkSkillType('mcp')).toThrow(expect.objectContaining({ code: 'reserved', status: 403 }));
  });
});
