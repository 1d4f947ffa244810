/**
 * The engine-neutral catalog each SQL discovery reads from its server; `buildNormalizedSchema`
 * turns it into the normalized schema, so naming, relationships, operations and PII rules are the
 * same for PostgreSQL and MySQL/MariaDB.
 */
import type { FieldType } from '../types.ts';

export interface ColumnPrivileges {
  select: boolean;
  insert: boolean;
  update: boolean;
}

export interface CatalogColumn {
  name: string;
  type: FieldType;
  nativeType: string;
  enumValues?: string[];
  isArray?: boolean;
  nullable: boolean;
  /** Identity, serial, auto_increment or a DEFAULT: an insert may omit it. */
  hasDefault: boolean;
  /** Computed by the database (GENERATED ... AS): never written. */
  generated: boolean;
  /** False where the database refuses a value even with privileges (generated, identity ALWAYS). */
  writable: boolean;
  comment: string | null;
  privileges: ColumnPrivileges;
}

export interface CatalogRelation {
  schema: string;
  table: string;
  kind: 'table' | 'view';
  comment: string | null;
  /** In table order, including columns the user cannot SELECT (they decide whether an insert can work). */
  columns: CatalogColumn[];
  primaryKey: string[];
  /** Every unique constraint or full (non-partial) unique index, composite ones too, PK excluded. */
  uniqueKeys: string[][];
  /** First columns of the indexes an equality filter can use, with PK and unique constraints. */
  leadingColumns: string[];
  /** Columns with an index on `lower(column)` (PostgreSQL): a case-insensitive filter can use it. */
  lowerIndexed?: string[];
  /** Whether the relation itself accepts INSERT / UPDATE (views: auto-updatable only). */
  accepts: { insert: boolean; update: boolean };
  /** Engine facts kept on the object: materialized, partitioned, foreign, updatable view… */
  meta: Record<string, unknown>;
}

export interface CatalogForeignKey {
  /** The constraint's name: a stable sort key, unique per table. */
  name: string;
  from: { schema: string; table: string; columns: string[] };
  to: { schema: string; table: string; columns: string[] };
}

export interface Catalog {
  /** The schema whose objects keep bare names (`public`, or the MySQL database). */
  defaultSchema: string;
  relations: CatalogRelation[];
  foreignKeys: CatalogForeignKey[];
}

export const relationKey = (schema: string, table: string) => `${schema}\u0000${table}`;
