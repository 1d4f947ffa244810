/** A small discovered schema for the binder's unit tests: hostile identifiers included on purpose. */
import type { NormalizedSchema, SchemaField } from '../../src/providers/types.ts';

const f = (name: string, over: Partial<SchemaField> = {}): SchemaField => ({
  name,
  type: 'string',
  nativeType: 'text',
  nullable: true,
  primaryKey: false,
  unique: false,
  leadingIndex: false,
  hasDefault: false,
  generated: false,
  pii: null,
  ...over,
});

export const fixtureSchema = (): NormalizedSchema => ({
  objects: [
    {
      name: 'client',
      label: 'Client',
      kind: 'table',
      source: { schema: 'sales"; drop', table: 'client`s' },
      primaryKey: ['id'],
      capabilities: ['read', 'search', 'create', 'update'],
      fields: [
        f('id', {
          type: 'integer',
          nativeType: 'integer',
          nullable: false,
          primaryKey: true,
          unique: true,
          leadingIndex: true,
          hasDefault: true,
        }),
        f('full name', { nullable: false, pii: 'person_name', leadingIndex: true }),
        f('email', { unique: true, leadingIndex: true, pii: 'email', nativeType: 'character varying(80)' }),
        f('phone', { pii: 'phone' }),
        f('ssn', { pii: 'government_id' }),
        f('tags', { isArray: true, nativeType: 'text[]' }),
        f('prefs', { type: 'json', nativeType: 'jsonb' }),
        f('born', { type: 'date', nativeType: 'date', pii: 'date_of_birth' }),
        f('visits', { type: 'integer', nativeType: 'smallint', nullable: false, hasDefault: true }),
        f('town_id', { type: 'integer', nativeType: 'integer', leadingIndex: true }),
      ],
    },
    {
      name: 'town',
      label: 'Town',
      kind: 'table',
      source: { schema: 'sales"; drop', table: 'town' },
      primaryKey: ['id'],
      capabilities: ['read'],
      fields: [
        f('id', {
          type: 'integer',
          nativeType: 'integer',
          primaryKey: true,
          unique: true,
          leadingIndex: true,
        }),
        f('name'),
        f('zip', { pii: 'address' }),
      ],
    },
  ],
  relationships: [
    {
      name: 'client.town',
      from: { object: 'client', fields: ['town_id'] },
      to: { object: 'town', fields: ['id'] },
      cardinality: 'many_to_one',
    },
    {
      name: 'town.clients',
      from: { object: 'town', fields: ['id'] },
      to: { object: 'client', fields: ['town_id'] },
      cardinality: 'one_to_many',
    },
  ],
  operations: [
    {
      name: 'client.search_by_email',
      object: 'client',
      kind: 'read',
      verb: 'search',
      args: [{ name: 'email', type: 'string', required: true }],
      returns: 'client[]',
    },
    {
      name: 'client.search_by_full name',
      object: 'client',
      kind: 'read',
      verb: 'search',
      args: [{ name: 'full name', type: 'string', required: true }],
      returns: 'client[]',
    },
    {
      name: 'client.get',
      object: 'client',
      kind: 'read',
      verb: 'get',
      args: [{ name: 'id', type: 'integer', required: true }],
      returns: 'client',
    },
    {
      name: 'client.insert',
      object: 'client',
      kind: 'write',
      verb: 'insert',
      args: ['full name', 'email', 'phone', 'ssn', 'born', 'visits', 'town_id'].map((n) => ({
        name: n,
        type: 'string' as const,
        required: n === 'full name',
      })),
      returns: 'client',
    },
    {
      name: 'client.update',
      object: 'client',
      kind: 'write',
      verb: 'update',
      args: ['id', 'email', 'phone', 'visits'].map((n) => ({
        name: n,
        type: 'string' as const,
        required: n === 'id',
      })),
      returns: 'client',
    },
  ],
});
