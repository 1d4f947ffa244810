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

export interface Database {
  organizations: OrganizationsTable;
  api_keys: ApiKeysTable;
  vault_keys: VaultKeysTable;
  settings: SettingsTable;
  connections: ConnectionsTable;
  idempotency_keys: IdempotencyTable;
}
