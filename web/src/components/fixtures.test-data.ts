/** Small, realistic answers of the API for the component tests (shapes as the server sends them). */
import type { AutoMapResult, Schema } from '../types.ts';

export const schema: Schema = {
  objects: [
    {
      name: 'customer',
      label: 'Customer',
      kind: 'table',
      capabilities: ['read', 'search'],
      primaryKey: ['customer_id'],
      fields: [
        {
          name: 'customer_id',
          type: 'integer',
          nativeType: 'integer',
          primaryKey: true,
          unique: true,
          pii: null,
        },
        { name: 'last_name', type: 'string', nativeType: 'text', pii: 'person_name' },
        { name: 'email', type: 'string', nativeType: 'text', nullable: true, pii: 'email' },
      ],
    },
    {
      name: 'film',
      label: 'Film',
      kind: 'table',
      capabilities: ['read'],
      primaryKey: ['film_id'],
      fields: [{ name: 'title', type: 'string', pii: null }],
    },
  ],
  relationships: [
    {
      name: 'customer.rentals',
      from: { object: 'customer', fields: ['customer_id'] },
      to: { object: 'rental', fields: ['customer_id'] },
      cardinality: 'one_to_many',
    },
  ],
  operations: [
    {
      name: 'customer.search_by_last_name',
      object: 'customer',
      kind: 'read',
      verb: 'search',
      args: [{ name: 'last_name', type: 'string', required: true }],
    },
  ],
};

export const mapped: AutoMapResult = {
  skill: {
    id: 'skl_1',
    name: 'find_customer_by_last_name',
    description: 'Look up customer records by last name',
    skillType: 'native_sql',
    source: { kind: 'postgres', binding: 'customer.search_by_last_name' },
    parametersSchema: { type: 'object', properties: { caller_last_name: { type: 'string' } } },
    isWrite: false,
    requiresConfirmation: false,
    isEnabled: true,
  },
  binding: {},
  compiled: { kind: 'search', outputs: [] },
  explanation: 'Object customer: the goal names "customer". Filter last_name.',
  confidence: 0.9,
  alternatives: [{ toolName: 'find_staff_by_last_name' }],
  rankedBy: 'vocabulary',
};
