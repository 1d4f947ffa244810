/**
 * The real Admin API 2026-10 schema, from the vendored introspection (see SCHEMA-LICENSE.md).
 * Parsing the JSON (~0.2 s) and building the schema (~0.3 s) is done once, on first use, and cached:
 * the fake and the provider's discovery both read it.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

const SCHEMA_FILE = new URL('./admin-2026-10.json.gz', import.meta.url);

/** One row of the file's `offline_scopes` table: the scopes (any of) a type or field requires. */
export interface OfflineScopeItem {
  type: 'type' | 'field';
  typeName: string;
  fieldName?: string;
  requiredAccess: string;
  offlineScopes: string[];
}

interface SchemaFile {
  data: IntrospectionQuery;
  offline_scopes?: { items: OfflineScopeItem[] };
}

let file: SchemaFile | undefined;
let schema: GraphQLSchema | undefined;

function schemaFile(): SchemaFile {
  file ??= JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString('utf8')) as SchemaFile;
  return file;
}

/** The introspection result (`{ __schema }`) of the Admin API 2026-10. */
export function loadAdminIntrospection(): IntrospectionQuery {
  return schemaFile().data;
}

/** The executable schema built from it (built once; the same instance every call). */
export function adminSchema(): GraphQLSchema {
  schema ??= buildClientSchema(loadAdminIntrospection(), { assumeValid: true });
  return schema;
}

/** Shopify's own table of the access scopes each type and field needs. */
export function offlineScopeItems(): OfflineScopeItem[] {
  return schemaFile().offline_scopes?.items ?? [];
}
