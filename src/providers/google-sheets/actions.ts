/**
 * The Sheets actions as the model sees them (OpenAI strict mode). Cells are named by column header
 * or by a parameter the operator mapped to one; an unknown name is answered with the known ones, so
 * the model can correct itself. An operator may also replace the schema with flat, named parameters
 * (e.g. caller_name, caller_phone): execution accepts those as column names too.
 */
import type { ActionDefinition } from '../types.ts';
import { SHEETS_CONFIG } from './settings.ts';

const object = (properties: Record<string, unknown>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

const values = (description: string) => ({
  type: 'array',
  description,
  items: object({
    column: { type: 'string', description: 'Column header (or mapped parameter name)' },
    value: {
      type: ['string', 'number', 'boolean', 'null'],
      description: 'The cell value; empty string clears it',
    },
  }),
});

const key = {
  key_value: {
    type: 'string',
    description: "The value to look for, e.g. the caller's phone number or an order number",
  },
  key_column: {
    type: ['string', 'null'],
    description: 'Column to search; default the configured key column',
  },
};

export const SHEETS_ACTIONS: ActionDefinition[] = [
  {
    slug: 'append_row',
    name: 'Append row',
    description:
      'Add a new row to the spreadsheet (a lead, a message, an order request). Give one entry per column you know.',
    important: true,
    isWrite: true,
    requiresConfirmation: true,
    nonParallelizable: true,
    parameters: object({ values: values('The cells of the new row') }),
    config: SHEETS_CONFIG,
  },
  {
    slug: 'lookup_row',
    name: 'Look up row',
    description:
      'Find rows whose key column matches a value (phone numbers match whatever their formatting). Returns each match with its row_number and cells.',
    important: true,
    isWrite: false,
    parameters: object(key),
    config: SHEETS_CONFIG,
  },
  {
    slug: 'update_row',
    name: 'Update row',
    description:
      'Change cells of the one row whose key column matches a value; cells not named stay as they are. Refused when no row or several rows match.',
    important: false,
    isWrite: true,
    requiresConfirmation: true,
    nonParallelizable: true,
    parameters: object({ ...key, values: values('The cells to change') }),
    config: SHEETS_CONFIG,
  },
];
