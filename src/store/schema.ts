/** Row types of the store. Timestamps are ISO-8601 strings and JSON is text, so one schema serves SQLite and PostgreSQL. */
export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  /** HMAC-SHA-256 of the key under the server's key-hash secret; the key itself is never stored. */
  key_hash: string;
  prefix: string;
  last4: string;
  /** JSON array of scope strings. */
  scopes: string;
  label: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface VaultKeysTable {
  version: number;
  /** The data key, encrypted under the master key (base64 of iv|tag|ciphertext). */
  wrapped_key: string;
  /** Short fingerprint of the master key that wrapped it, to pick the right one during a rotation. */
  master_fingerprint: string;
  created_at: string;
}

export interface SettingsTable {
  name: string;
  /** Vault ciphertext: settings hold server secrets. */
  value: string;
}

export interface ConnectionsTable {
  id: string;
  org_id: string;
  kind: string;
  status: string;
  account_label: string | null;
  /** Vault ciphertext of the credentials, bound to (org_id, id). */
  secret: string;
  connected_at: string;
  updated_at: string;
  last_discovered_at: string | null;
  /** JSON: { blockedObjects, blockedFields }. */
  scoping: string | null;
  /** JSON array of the scopes the grant allows; null when the provider does not say. */
  granted_scopes: string | null;
}

export interface IdempotencyTable {
  org_id: string;
  key: string;
  /** sha256 of method, route and body: the same key with another request is refused. */
  request_hash: string;
  state: string;
  status_code: number | null;
  /** Vault ciphertext of the response: it may hold a secret shown once. */
  response: string | null;
  created_at: string;
}

export interface AgentsTable {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  /** Bumped on every change to the agent itself; clients send it back in If-Match. */
  revision: number;
  live_version_id: string | null;
  /** JSON of Flowyte's agent fields { persona, primaryLanguage, languages, greeting, enabledChannels }; null = defaults. */
  profile?: string | null;
  created_at: string;
  updated_at: string;
}

/** Draft skills. Booleans are 0/1 integers so one schema serves both engines. */
export interface SkillsTable {
  id: string;
  org_id: string;
  agent_id: string;
  name: string;
  description: string;
  skill_type: string;
  /** JSON: { kind, action } | { kind, binding } | { kind, preset }. */
  source: string;
  parameters_schema: string;
  /** JSON of operator settings: never a secret. */
  execution_config: string;
  /** Vault ciphertext (bound to the skill) of its secrets: webhook header values, signing secret. */
  secrets: string | null;
  /** JSON of what a binding compiled to (a frozen statement), when the skill has one. */
  compiled: string | null;
  is_write: number;
  requires_confirmation: number;
  non_parallelizable: number;
  requires_verified_identity: number;
  is_enabled: number;
  /** JSON of { channels, errorHandling }; null = defaults. */
  profile?: string | null;
  /** JSON of the binding body a bound skill was saved from (null: not a binding, or saved before 011). */
  binding?: string | null;
  /** JSON of why the operator must review the skill (scoping now blocks what it uses); null when fine. */
  review?: string | null;
  created_at: string;
  updated_at: string;
}

export interface AgentVersionsTable {
  id: string;
  org_id: string;
  agent_id: string;
  number: number;
  note: string | null;
  skill_count: number;
  /** JSON array of the frozen skill rows (secrets stay vault ciphertext). */
  snapshot: string;
  /** JSON of the agent's profile when the version was published; null for older versions. */
  agent_profile?: string | null;
  published_at: string;
}

export interface ExecutionsTable {
  id: string;
  org_id: string;
  agent_id: string;
  skill_id: string;
  skill_name: string;
  version_id: string | null;
  version_number: number | null;
  /** How the call ended: `ok`, or `error` with `error_code`. */
  outcome: 'ok' | 'error';
  error_code: string | null;
  duration_ms: number;
  /** JSON of the arguments with PII-classed values redacted. */
  arguments: string;
  conversation_id: string | null;
  created_at: string;
}

export interface DiscoveredSchemasTable {
  connection_id: string;
  org_id: string;
  kind: string;
  /** JSON of the NormalizedSchema. */
  schema: string;
  /** JSON of the last discovery's summary. */
  summary: string;
  discovered_at: string;
}

export interface UsersTable {
  id: string;
  /** Lower-cased. */
  email: string;
  /** argon2id PHC string. */
  password_hash: string;
  created_at: string;
}

export interface MembershipsTable {
  user_id: string;
  org_id: string;
  /** 'owner' | 'member' */
  role: string;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  /** SHA-256 hex of the cookie value; the value itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  /** The absolute end of the session, whatever its activity. */
  expires_at: string;
  revoked_at: string | null;
}

export interface OAuthStateSessionsTable {
  /** SHA-256 of the OAuth state, as oauth_states keys it. */
  state_hash: string;
  session_id: string;
  created_at: string;
}

export interface Database {
  organizations: OrganizationsTable;
  api_keys: ApiKeysTable;
  vault_keys: VaultKeysTable;
  settings: SettingsTable;
  connections: ConnectionsTable;
  idempotency_keys: IdempotencyTable;
  agents: AgentsTable;
  skills: SkillsTable;
  agent_versions: AgentVersionsTable;
  confirmations: ConfirmationsTable;
  executions: ExecutionsTable;
  discovered_schemas: DiscoveredSchemasTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  oauth_state_sessions: OAuthStateSessionsTable;
}

export interface ConfirmationsTable {
  token_hash: string;
  org_id: string;
  agent_id: string;
  skill_name: string;
  version_id: string | null;
  conversation_id: string | null;
  args_hash: string;
  /** JSON array of the gates the token stands for: 'confirmation', 'verification'. */
  needs: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
