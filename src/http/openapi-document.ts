/**
 * The finishing pass over the generated OpenAPI document: every operation gets an operationId, its
 * request and success bodies become named component schemas with a real description (never
 * "Default Response"), its problems a shared `Problem` schema with an example per error code it can
 * answer (each linked to its `/errors/<code>` page), and the connect bodies the credential shape of
 * each kind.
 */
import { ERROR_STATUS, type ErrorCode, titleOf } from '../errors.ts';
import type { ProviderModule } from '../providers/types.ts';
import { errorCodesOf } from './openapi-errors.ts';
import { ERROR_DOCS } from './routes/error-pages.ts';

type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `post /api/v1/integrations/{kind}/connect` → `postIntegrationsKindConnect`. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return method.toLowerCase() + words.map(pascal).join('');
}

const STATUS_TEXT: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted',
  '204': 'No content',
};

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function problemExample(base: string, code: ErrorCode, instance: string): Json {
  return {
    type: `${base}${code}`,
    title: titleOf(code),
    status: ERROR_STATUS[code],
    detail: ERROR_DOCS[code][0],
    instance,
    code,
    errors: code === 'validation_error' ? [{ field: 'name', message: 'is required' }] : [],
    requestId: '8f14e45f-ceea-467f-a0e6-7a3b5c1d2e90',
  };
}

/** The shared example of a code's problem, added to components.examples on first use. */
function problemExampleName(doc: Json, base: string, code: ErrorCode): string {
  doc.components.examples ??= {};
  const name = `problem_${code}`;
  doc.components.examples[name] ??= {
    summary: `${ERROR_STATUS[code]} ${code}`,
    value: problemExample(base, code, '/api/v1/agents/agt_01J9Z3Q7X2'),
  };
  return name;
}

/** The credential schemas of the kinds that take credentials, as named components. */
function credentialComponents(providers: ProviderModule[]): { kind: string; name: string; schema: Json }[] {
  return providers
    .filter((p) => p.auth.credentials)
    .map((p) => ({
      kind: p.kind,
      name: `${pascal(p.kind.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()))}Credentials`,
      schema: {
        ...plain(p.auth.credentials as Json),
        description: `${p.name}: the credentials connect verifies live`,
      },
    }));
}

const CREDENTIAL_EXAMPLES: Record<string, Json> = {
  postgres: {
    host: 'db.example.com',
    port: '5432',
    database: 'appdb',
    user: 'flowyte_reader',
    password: 'the-scoped-users-password',
    sslmode: 'require',
  },
  mysql: {
    host: 'mysql.example.com',
    port: 3306,
    database: 'shop',
    user: 'flowyte_reader',
    password: 'the-scoped-users-password',
    sslmode: 'verify-full',
  },
  shopify: { shop: 'acme.myshopify.com', access_token: 'shpat_0123456789abcdef' },
};

/** connect and sql/test: the body of each kind, named, with an example per kind. */
function documentCredentials(doc: Json, providers: ProviderModule[]): void {
  const creds = credentialComponents(providers);
  for (const c of creds) doc.components.schemas[c.name] = c.schema;
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const oauthKinds = providers.filter((p) => p.auth.type === 'oauth2').map((p) => p.kind);
  const example = (kind: string, body: unknown) => ({ summary: kind, value: body });

  const connect = doc.paths['/api/v1/integrations/{kind}/connect']?.post;
  if (connect?.requestBody) {
    doc.components.schemas.ConnectRequest = {
      type: 'object',
      additionalProperties: false,
      description: `Kinds that take credentials send them under \`credentials\`, in the shape of their kind. OAuth kinds (${oauthKinds.join(', ')}) send {} and get an oauthUrl to open.`,
      properties: { credentials: { oneOf: creds.map((c) => ref(c.name)) } },
    };
    const media = connect.requestBody.content['application/json'];
    dropComponent(doc, media.schema);
    media.schema = ref('ConnectRequest');
    delete media.example;
    media.examples = Object.fromEntries([
      ...creds.map((c) => [c.kind, example(c.kind, { credentials: CREDENTIAL_EXAMPLES[c.kind] ?? {} })]),
      ...oauthKinds.map((k) => [k, example(`${k} (OAuth: no credentials)`, {})]),
    ]);
  }
  const sqlTest = doc.paths['/api/v1/integrations/{kind}/sql/test']?.post;
  if (sqlTest?.requestBody) {
    const sql = creds.filter((c) => providers.find((p) => p.kind === c.kind)?.sql);
    doc.components.schemas.SqlTestRequest = {
      description: 'The connect body of a SQL kind, as `{ credentials }` or the credentials bare.',
      oneOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['credentials'],
          properties: { credentials: { oneOf: sql.map((c) => ref(c.name)) } },
        },
        ...sql.map((c) => ref(c.name)),
      ],
    };
    const media = sqlTest.requestBody.content['application/json'];
    dropComponent(doc, media.schema);
    media.schema = ref('SqlTestRequest');
    delete media.example;
    media.examples = Object.fromEntries(
      sql.flatMap((c) => [
        [c.kind, example(`${c.kind}, as connect sends it`, { credentials: CREDENTIAL_EXAMPLES[c.kind] })],
        [`${c.kind}_bare`, example(`${c.kind}, bare`, CREDENTIAL_EXAMPLES[c.kind])],
      ]),
    );
  }
}

/** Removes the component a reference names (a generic body replaced by a better one). */
function dropComponent(doc: Json, schema: Json | undefined): void {
  const name = /^#\/components\/schemas\/(.+)$/.exec(schema?.$ref ?? '')?.[1];
  if (name) delete doc.components.schemas[name];
}

/** Moves an inline schema into components under `name` and returns the reference. */
function named(doc: Json, name: string, schema: Json): Json {
  if (!schema || schema.$ref) return schema;
  doc.components.schemas[name] = schema;
  return { $ref: `#/components/schemas/${name}` };
}

function finishOperation(doc: Json, base: string, method: string, path: string, op: Json): void {
  const id = operationIdOf(method, path);
  op.operationId = id;
  const Id = pascal(id);
  const media = op.requestBody?.content?.['application/json'];
  if (media?.schema) media.schema = named(doc, `${Id}Request`, media.schema);
  const authenticated = Boolean(op['x-required-scope']);
  const takesInput = Boolean(op.requestBody || op.parameters?.length);
  const codes = errorCodesOf(method.toUpperCase(), path, authenticated, takesInput);
  op['x-error-codes'] = codes;
  op.responses ??= {};
  const responses: Json = op.responses;
  // Routes that declared only their success still answer problems (MCP's transport, /readyz's 503).
  for (const range of ['4', '5'])
    if (!responses[`${range}XX`] && codes.some((c) => String(ERROR_STATUS[c]).startsWith(range)))
      responses[`${range}XX`] = {};
  for (const [status, response] of Object.entries<Json>(responses)) {
    if (/^2\d\d$/.test(status)) {
      const what = STATUS_TEXT[status] ?? status;
      if (!response.description || response.description === 'Default Response')
        response.description = op.summary ? `${what}: ${op.summary}` : what;
      for (const m of Object.values<Json>(response.content ?? {}))
        if (m.schema) m.schema = named(doc, `${Id}Response${status === '200' ? '' : status}`, m.schema);
    } else if (/^[45]XX$/i.test(status)) {
      const range = status.charAt(0);
      const mine = codes.filter((c) => String(ERROR_STATUS[c]).startsWith(range));
      response.description = `A problem (RFC 9457, application/problem+json). \`code\` is one of: ${mine
        .map((c) => `[\`${c}\`](${base}${c}) (${ERROR_STATUS[c]})`)
        .join(', ')}. Each code's page says what it means and how to recover.`;
      response.content = {
        'application/problem+json': {
          schema: { $ref: '#/components/schemas/Problem' },
          // Shared examples (components.examples): one per code, referenced by every operation.
          examples: Object.fromEntries(
            mine.map((c) => [c, { $ref: `#/components/examples/${problemExampleName(doc, base, c)}` }]),
          ),
        },
      };
    }
  }
}

export function finishDocument(doc: Json, providers: ProviderModule[], base: string): Json {
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.Problem = {
    type: 'object',
    description:
      'RFC 9457 problem details; `code` is stable, `type` links to its page in the error catalogue',
    required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
    additionalProperties: true,
    properties: {
      type: { type: 'string', description: `${base}<code>` },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string', description: 'One sentence: what is wrong and what to do' },
      instance: { type: 'string' },
      code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'message'],
          properties: { field: { type: 'string' }, message: { type: 'string' } },
        },
      },
      requestId: { type: 'string' },
    },
  };
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {}))
    for (const method of METHODS) if (item[method]) finishOperation(doc, base, method, path, item[method]);
  documentCredentials(doc, providers);
  return doc;
}
