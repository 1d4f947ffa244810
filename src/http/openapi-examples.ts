/**
 * An example for every request and response body in the OpenAPI document: a route's own `examples`
 * where it wrote one (the documented bodies), else one built from its schema.
 */

type Schema = Record<string, any>;

const PG_CREDENTIALS = {
  host: 'db.example.com',
  port: '5432',
  database: 'appdb',
  user: 'flowyte_reader',
  password: 'the-scoped-users-password',
  sslmode: 'require',
};

/**
 * Request bodies as Flowyte's docs send them (the port as text, the documented names), keyed by
 * `METHOD /api/v1/path`; routes not listed get an example built from their schema.
 */
export const DOCUMENTED_BODIES: Record<string, unknown> = {
  'POST /api/v1/integrations/{kind}/connect': { credentials: PG_CREDENTIALS },
  'POST /api/v1/integrations/{kind}/sql/test': PG_CREDENTIALS,
  'PATCH /api/v1/integrations/{kind}/scoping': {
    blockedObjects: ['public.payment'],
    blockedFields: ['customer.email'],
  },
  'POST /api/v1/agents/{id}/integrations/{kind}/provision': {
    actions: ['check_availability', 'book_appointment'],
  },
  'DELETE /api/v1/agents/{id}/integrations/{kind}/provision': { actions: ['book_appointment'] },
  'POST /api/v1/agents/{id}/integrations/{kind}/bindings/auto': {
    goal: 'let callers check their order status by email',
    enabled: false,
  },
  'POST /api/v1/agents/{id}/integrations/{kind}/pack/install': {
    presets: ['lookup_order', 'search_products'],
  },
  'POST /api/v1/agents/{id}/publish': { note: 'Booking skills for the front desk' },
  'POST /api/v1/agents/{id}/rollback': { versionId: 'ver_01J9Z3Q7X2' },
  'POST /api/v1/agents/{id}/tools/{name}/invoke': {
    arguments: { caller_phone: '+15551234567' },
    conversationId: 'call_8c1f',
  },
  'POST /api/v1/keys': { scopes: ['integrations:read', 'skills:invoke'], label: 'phone runtime' },
};

/** A plausible value for a schema: its own example, const, default or first enum value, else by type. */
/** Plausible text for common property names, so generated examples read like real answers. */
const NAMED_STRINGS: Record<string, string> = {
  id: 'agt_01J9Z3Q7X2',
  agentId: 'agt_01J9Z3Q7X2',
  skillId: 'skl_01J9Z3R2M4',
  versionId: 'ver_01J9Z3Q7X2',
  keyId: 'key_01J9Z3S8D1',
  organizationId: 'org_01J9Z3P0A7',
  kind: 'postgres',
  name: 'Front desk',
  label: 'Customer',
  title: 'Bookings',
  description: 'Look a customer up by their last name',
  status: 'connected',
  accountLabel: 'appdb on db.example.com',
  category: 'Database',
  blurb: 'Look up and update rows in your own database',
  logo: 'postgres',
  slug: 'check_availability',
  note: 'Booking skills for the front desk',
  email: 'ana@example.com',
  role: 'owner',
  format: 'openai',
  outcome: 'ok',
  conversationId: 'call_8c1f',
  oauthUrl: 'https://accounts.google.com/o/oauth2/v2/auth?client_id=…&state=…',
  nextCursor: 'eyJhIjoiYWd0XzAxSjlaM1E3WDIifQ',
};

export function exampleOf(schema: Schema | undefined, depth = 0, name?: string): unknown {
  if (!schema || typeof schema !== 'object' || depth > 8) return undefined;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const k of ['anyOf', 'oneOf'])
    if (Array.isArray(schema[k])) {
      const first = schema[k].find((s: Schema) => s.type !== 'null') ?? schema[k][0];
      return exampleOf(first, depth + 1, name);
    }
  if (Array.isArray(schema.allOf))
    return Object.assign({}, ...schema.allOf.map((s: Schema) => exampleOf(s, depth + 1) ?? {}));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        const v = exampleOf(sub, depth + 1, name);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'array': {
      const item = exampleOf(schema.items, depth + 1, name);
      return item === undefined ? [] : [item];
    }
    case 'string':
      if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com/';
      if (schema.format === 'date-time' || /At$/.test(name ?? '')) return '2026-01-01T09:00:00.000Z';
      return (name && NAMED_STRINGS[name]) ?? 'string';
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

/** The route schema with `examples` on its body and on each 2xx response that lacked one. */
export function withExamples(schema: Schema, route?: string): Schema {
  const out = { ...schema };
  if (out.body && !out.body.examples) {
    const ex = (route && DOCUMENTED_BODIES[route]) ?? exampleOf(out.body);
    if (ex !== undefined) out.body = { ...out.body, examples: [ex] };
  }
  if (out.response) {
    const responses: Schema = { ...out.response };
    for (const [status, r] of Object.entries(responses)) {
      if (!/^2\d\d$/.test(status) || !r || typeof r !== 'object' || (r as Schema).examples) continue;
      const ex = exampleOf(r as Schema);
      if (ex !== undefined) responses[status] = { ...(r as Schema), examples: [ex] };
    }
    out.response = responses;
  }
  return out;
}
