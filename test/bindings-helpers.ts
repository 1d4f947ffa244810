/**
 * Shared set-up of the binding suites: a server, an organization with every scope a binding needs,
 * a connected and discovered SQL database, an agent, and helpers to bind, publish and invoke.
 */
import { startTestServer, type TestServer } from './support/harness.ts';
import { localCredentials, type SqlCredentialsInput } from './support/services.ts';

export { localCredentials };

export const ALL_SCOPES = [
  'integrations:read',
  'integrations:write',
  'agents:read',
  'agents:write',
  'skills:write',
  'skills:invoke',
];

export interface World {
  server: TestServer;
  key: string;
  orgId: string;
  kind: 'postgres' | 'mysql';
  agent: string;
  connect(credentials: SqlCredentialsInput): Promise<void>;
  discover(): Promise<void>;
  bind(body: Record<string, unknown>): ReturnType<TestServer['call']>;
  auto(body: Record<string, unknown>): ReturnType<TestServer['call']>;
  publish(): Promise<void>;
  invoke(
    tool: string,
    args: Record<string, unknown>,
    extra?: Record<string, unknown>,
  ): ReturnType<TestServer['call']>;
  patchSkill(skillId: string, patch: Record<string, unknown>): ReturnType<TestServer['call']>;
  newAgent(): Promise<string>;
}

export async function openWorld(
  kind: 'postgres' | 'mysql',
  credentials: SqlCredentialsInput,
  server?: TestServer,
): Promise<World> {
  const s =
    server ??
    (await startTestServer({ FLOWYTE_RATE_LIMIT_PER_MINUTE: '1000000', FLOWYTE_CONNECT_TIMEOUT_MS: '5000' }));
  const { key, orgId } = await s.key(`bind-${kind}-${Math.random().toString(36).slice(2, 10)}`, ALL_SCOPES);
  const must = async (res: Awaited<ReturnType<TestServer['call']>>, what: string) => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
    return res;
  };
  const world: World = {
    server: s,
    key,
    orgId,
    kind,
    agent: '',
    async connect(c) {
      await must(
        await s.call('POST', `/api/v1/integrations/${kind}/connect`, { key, body: { credentials: c } }),
        'connect',
      );
    },
    async discover() {
      await must(await s.call('POST', `/api/v1/integrations/${kind}/discover`, { key }), 'discover');
    },
    bind: (body) =>
      s.call('POST', `/api/v1/agents/${world.agent}/integrations/${kind}/bindings`, { key, body }),
    auto: (body) =>
      s.call('POST', `/api/v1/agents/${world.agent}/integrations/${kind}/bindings/auto`, { key, body }),
    async publish() {
      await must(await s.call('POST', `/api/v1/agents/${world.agent}/publish`, { key, body: {} }), 'publish');
    },
    invoke: (tool, args, extra = {}) =>
      s.call('POST', `/api/v1/agents/${world.agent}/tools/${tool}/invoke`, {
        key,
        body: { arguments: args, ...extra },
      }),
    patchSkill: (skillId, patch) =>
      s.call('PATCH', `/api/v1/agents/${world.agent}/skills/${skillId}`, { key, body: patch }),
    async newAgent() {
      const r = await must(
        await s.call('POST', '/api/v1/agents', { key, body: { name: `agent-${kind}` } }),
        'agent',
      );
      world.agent = r.json.data.id;
      return world.agent;
    },
  };
  await world.connect(credentials);
  await world.discover();
  await world.newAgent();
  return world;
}

/** A small shop: customers and orders with the indexes auto-map looks for. */
export const SHOP_SQL = `
  create table customers (id serial primary key, full_name text not null, email text not null unique, phone text);
  create index customers_phone_idx on customers (phone);
  create table orders (
    id serial primary key,
    order_number text not null unique,
    customer_email text not null,
    customer_id int references customers(id),
    status text not null default 'received',
    total numeric(10,2) not null default 0,
    placed_at timestamptz not null default now()
  );
  create index orders_customer_email_idx on orders (customer_email);
  insert into customers (full_name, email, phone) values ('Ada Lovelace', 'ada@example.com', '+15550001');
  insert into orders (order_number, customer_email, customer_id, status, total) values
    ('A-100', 'ada@example.com', 1, 'shipped', 19.90), ('A-101', 'ada@example.com', 1, 'received', 5);
`;
