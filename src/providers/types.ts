/**
 * The provider module contract: one object per provider folder, metadata as data, behaviour as
 * plain functions that receive decrypted credentials and never see the store or HTTP.
 */
import type { TSchema } from '@sinclair/typebox';
import type { Dispatcher } from 'undici';
import type { BindingTarget } from '../core/bindings/index.ts';

export type AuthType = 'oauth2' | 'api_key' | 'credentials';

/**
 * How an OAuth provider is authorized, as data: one OAuth client in core runs every flow from it.
 * Endpoints and the issuer are defaults the operator can override per app (configuration).
 */
export interface OAuthSpec {
  /**
   * The OAuth app in configuration (client id and secret, endpoint overrides). Providers of one
   * authorization server share it, and with it the account: Google Calendar and Sheets.
   */
  app: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl?: string;
  userinfoUrl?: string;
  /** The `iss` an ID token must name. */
  issuer: string;
  /** The provider's own minimal scopes. */
  scopes: string[];
  /** Asked with every flow of the app, e.g. the email that labels the account. */
  identityScopes?: string[];
  /** Short forms the server accepts and may answer with, mapped to the full scope. */
  scopeAliases?: Record<string, string>;
  /** PKCE is always used; S256 is the only method. */
  pkce: 'S256';
  /** Added to the authorization URL (e.g. offline access and a consent prompt). */
  extraAuthorizeParams?: Record<string, string>;
  /** The userinfo claim that labels the connection (e.g. `email`); null: the provider's name. */
  accountLabelClaim: string | null;
  /** A flow without a refresh token cannot last: refuse it at the callback. */
  requireRefreshToken: boolean;
  /** Revoking one token ends the app's whole grant for the account: keep it while another connection shares it. */
  revokesWholeGrant?: boolean;
  /** Lifetime assumed when the token response has no expires_in. */
  defaultTokenTtlSeconds?: number;
}

// ---------- normalized schema (SPEC §6) ----------

export type FieldType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'time'
  | 'json'
  | 'enum'
  | 'uuid'
  | 'binary';

export type PiiClass =
  | 'email'
  | 'phone'
  | 'person_name'
  | 'address'
  | 'date_of_birth'
  | 'government_id'
  | 'payment_card'
  | 'credential';

export interface SchemaField {
  name: string;
  type: FieldType;
  nativeType: string;
  enumValues?: string[];
  /** Arrays of a scalar type (PostgreSQL `text[]`): `type` is the element type. */
  isArray?: boolean;
  nullable: boolean;
  primaryKey: boolean;
  unique: boolean;
  /** First column of some index, primary key or unique constraint: a filter on it is cheap. */
  leadingIndex: boolean;
  /**
   * An index serves a case-insensitive equality filter on it (PostgreSQL: an index on `lower(column)`);
   * set only when true.
   */
  caseInsensitiveIndex?: boolean;
  /** Identity, serial or defaulted columns need no value on insert. */
  hasDefault?: boolean;
  generated?: boolean;
  comment?: string | null;
  /** Still served but on its way out (GraphQL `isDeprecated`): bindable, flagged. */
  deprecated?: boolean;
  pii: PiiClass | null;
}

export type ObjectKind = 'table' | 'view' | 'sheet' | 'resource' | 'graphql_type';
export type Capability = 'read' | 'search' | 'create' | 'update';

export interface SchemaObject {
  /** Unique within the schema; SQL objects outside the default schema are `schema.table`. */
  name: string;
  label: string;
  kind: ObjectKind;
  /** Provider-specific location, e.g. `{ schema: 'public', table: 'customer' }` for SQL. */
  source?: Record<string, string>;
  fields: SchemaField[];
  capabilities: Capability[];
  primaryKey: string[];
  /** Extra facts a provider may record (materialized view, partitioned, updatable view…). */
  meta?: Record<string, unknown>;
}

export interface SchemaRelationship {
  name: string;
  from: { object: string; fields: string[] };
  to: { object: string; fields: string[] };
  cardinality: 'many_to_one' | 'one_to_many' | 'one_to_one';
  /** Provider facts a binder needs (GraphQL: a connection, a list, or one object). */
  meta?: Record<string, unknown>;
}

export interface OperationArg {
  name: string;
  type: FieldType;
  required: boolean;
  /** The argument is an array of `type` (a PostgreSQL array column). */
  isArray?: boolean;
}

export interface SchemaOperation {
  name: string;
  object: string;
  kind: 'read' | 'write';
  verb: string;
  args: OperationArg[];
  returns: string;
  /** Provider facts a compiler needs (GraphQL: the root field, the input argument's layout). */
  meta?: Record<string, unknown>;
}

export interface NormalizedSchema {
  objects: SchemaObject[];
  relationships: SchemaRelationship[];
  operations: SchemaOperation[];
}

// ---------- actions and packs ----------

export interface ActionConfigField {
  key: string;
  label: string;
  type: 'string' | 'integer' | 'boolean' | 'json';
  required: boolean;
  description?: string;
}

export interface ActionDefinition {
  slug: string;
  name: string;
  /** Written for the model. */
  description: string;
  important: boolean;
  isWrite: boolean;
  /** JSON Schema of what the caller supplies (OpenAI strict-mode compatible). */
  parameters: Record<string, unknown>;
  /** Operator settings the action needs before it can run. */
  config: ActionConfigField[];
  requiresConfirmation?: boolean;
  requiresVerifiedIdentity?: boolean;
  nonParallelizable?: boolean;
  /** Installed disabled until an operator enables it (a write that changes a customer's record). */
  landsDisabled?: boolean;
}

export interface PackPreset {
  slug: string;
  name: string;
  /** Model-facing description of the skill it installs (replaces the action's own). */
  description: string;
  /** The action this preset installs (the provider's, or one of the pack's own), with its text and configuration. */
  action: string;
  toolName: string;
  config?: Record<string, unknown>;
  /** Grants the connection must hold (GET /integrations `grantedScopes`); without them it installs disabled. */
  requiredScopes?: string[];
  /** What one call returns, in words, for GET /integrations/{kind}/pack. */
  returns?: string;
}

export interface Pack {
  slug: string;
  name: string;
  description: string;
  presets: PackPreset[];
  /**
   * Actions only this pack installs: a pack-based provider (Shopify) offers no actions of its own
   * (actionCount 0), so its presets run these.
   */
  actions?: ActionDefinition[];
}

// ---------- runtime context ----------

/** Where remote APIs live: the real ones, or the sandbox fakes and test servers. */
export interface ProviderEndpoints {
  googleApiUrl: string;
  /** Replaces `https://{shop}`; a `{shop}` in it is replaced by the shop's domain. */
  shopifyApiUrl: string | null;
  shopifyApiVersion: string;
}

/** What a provider function may use: never the store, never HTTP request objects. */
export interface ProviderContext {
  endpoints: ProviderEndpoints;
  /**
   * OAuth providers only: a valid access token for the connection, refreshed shortly before expiry
   * (at most one refresh per connection at a time, across instances). `forceRefresh` after a 401.
   * Throws AppError('needs_reconnect') once the grant is gone.
   */
  accessToken?: (opts?: { forceRefresh?: boolean }) => Promise<string>;
  /** Verifies a host against the network policy and returns the address to pin the connection to. */
  resolveHost(host: string): Promise<{ address: string; family: 4 | 6 }>;
  /**
   * The network policy as an undici dispatcher (pooled, each connection checked and pinned): HTTP
   * calls to addresses a user gave (a shop's domain) go through it.
   */
  dispatcher?: Dispatcher;
  allowPlaintextSql: boolean;
  /** Upper bound for a live verification, in milliseconds. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A fresh token for credentials that can renew themselves, merged into the stored credentials. */
export interface RenewedToken {
  access_token: string;
  /** Seconds it lasts from now (core dates it with its own clock). */
  expiresInSeconds: number;
  /** Anything else to keep (e.g. the scopes granted). */
  extra?: Record<string, unknown>;
}

export interface VerifyResult {
  accountLabel: string;
  /** What the credentials are allowed to do, where the provider says (shown on the connection). */
  grantedScopes?: string[];
  /** Stored (encrypted) with the credentials, e.g. normalized fields or fetched tokens. */
  credentials?: Record<string, unknown>;
}

/** One call of a provider-backed skill at run time. */
export interface ExecuteRequest {
  /** The action slug, for skills provisioned from an action or a pack preset. */
  action?: string;
  /** What a binding compiled to at bind time, for skills made from a binding. */
  compiled?: unknown;
  /** Operator settings of the skill. */
  config: Record<string, unknown>;
  arguments: Record<string, unknown>;
  connectionId: string;
  /** The caller's Idempotency-Key, so a provider can make a retried write land once. */
  idempotencyKey?: string;
}

export interface ProviderModule {
  kind: string;
  /** The skillType of skills this provider's actions and bindings become. */
  skillType?: 'calendar' | 'google_sheets' | 'native_sql' | 'native_graphql';
  name: string;
  category: string;
  blurb: string;
  logo: string;
  auth: {
    type: AuthType;
    credentials?: TSchema;
    oauth?: OAuthSpec;
    /**
     * Credentials that hold an expiring token the provider can fetch again without a person (a
     * client-credentials grant): core renews them before `expires_at`, one renewal per connection
     * at a time across instances, and again when `ctx.accessToken({ forceRefresh })` asks.
     * Throws AppError('needs_reconnect') when the stored credentials are refused for good.
     */
    renew?(credentials: Record<string, unknown>, ctx: ProviderContext): Promise<RenewedToken>;
  };
  /** Live check of credentials at connect: an accountLabel, or an AppError('credentials_rejected'). */
  verify?(credentials: Record<string, unknown>, ctx: ProviderContext): Promise<VerifyResult>;
  actions: ActionDefinition[];
  pack?: Pack;
  discover?(credentials: Record<string, unknown>, ctx: ProviderContext): Promise<NormalizedSchema>;
  /** Binding discovered operations onto skills: how they are validated and compiled (core/bindings/model.ts). */
  bindingTarget?: BindingTarget;
  /** Runs an action or a compiled binding with the connection's decrypted credentials. */
  execute?(
    credentials: Record<string, unknown>,
    request: ExecuteRequest,
    ctx: ProviderContext,
  ): Promise<unknown>;
  /** Extra capabilities of SQL providers (sql/test, sql/scripts). */
  sql?: SqlCapabilities;
  /** Its warm connection pools, summed (for /metrics). */
  poolUsage?(): { pools: number; total: number; idle: number; waiting: number };
}

export interface SqlCheck {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

export interface SqlScriptsRequest {
  database: string;
  tables: string[];
}

export interface SqlScripts {
  role: string;
  password: string;
  readOnly: string;
  write: string | null;
}

export interface SqlCapabilities {
  test(credentials: Record<string, unknown>, ctx: ProviderContext): Promise<SqlCheck[]>;
  scripts(request: SqlScriptsRequest): SqlScripts;
}
