/** Shapes of the /api/v1 answers the dashboard reads (only the members it uses). */

export interface CatalogItem {
  kind: string;
  name: string;
  category: string;
  blurb: string;
  logo: string;
  authType: 'oauth2' | 'api_key' | 'credentials';
  actionCount: number;
  hasPack: boolean;
  connected: boolean;
  connectionStatus: string | null;
}

export interface Connection {
  kind: string;
  status: string;
  accountLabel: string | null;
  connectedAt: string;
  lastDiscoveredAt: string | null;
}

export interface SqlCheck {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

export interface SchemaField {
  name: string;
  type: string;
  nativeType?: string;
  nullable?: boolean;
  primaryKey?: boolean;
  unique?: boolean;
  pii: string | null;
}

export interface SchemaObject {
  name: string;
  label: string;
  kind: string;
  fields: SchemaField[];
  capabilities: string[];
  primaryKey: string[];
}

export interface Relationship {
  name: string;
  from: { object: string; fields: string[] };
  to: { object: string; fields: string[] };
  cardinality: string;
}

export interface Operation {
  name: string;
  object: string;
  kind: string;
  verb: string;
  args: { name: string; type: string; required: boolean }[];
  returns?: string;
}

export interface Schema {
  objects: SchemaObject[];
  relationships: Relationship[];
  operations: Operation[];
}

export interface Agent {
  id: string;
  name: string;
  description: string | null;
  revision: number;
  liveVersionId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  enum?: unknown[];
  format?: string;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  default?: unknown;
}

export interface Skill {
  id: string;
  name: string;
  description: string;
  skillType: string;
  source: { kind?: string; action?: string; binding?: string } & Record<string, unknown>;
  parametersSchema: JsonSchema;
  isWrite: boolean;
  requiresConfirmation: boolean;
  isEnabled: boolean;
  /** Scoping now blocks what its binding uses: not served until the binding is saved again. */
  needsReview?: boolean;
  review?: { reason: string; errors: { field: string; message: string }[] } | null;
}

export interface Version {
  id: string;
  number: number;
  note: string | null;
  publishedAt: string;
  skillCount: number;
  isLive: boolean;
}

export interface AutoMapResult {
  skill: Skill;
  binding: Record<string, unknown>;
  compiled: { kind: string; outputs: { name: string; type: string }[] };
  explanation: string;
  confidence: number;
  alternatives: Record<string, unknown>[];
  rankedBy: string;
}

export interface Execution {
  id: string;
  skillName: string;
  version: { id: string; number: number | null } | null;
  outcome: 'ok' | 'error';
  errorCode: string | null;
  durationMs: number;
  arguments: Record<string, unknown>;
  conversationId: string | null;
  createdAt: string;
}
