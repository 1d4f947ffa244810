/** Small hand-written catalogs for the unit tests of the schema builder. */

import type { CatalogColumn, CatalogRelation } from '../../src/providers/sql-common/catalog.ts';
import type { FieldType } from '../../src/providers/types.ts';

const ALL = { select: true, insert: true, update: true };

export function column(
  name: string,
  type: FieldType = 'integer',
  extra: Partial<CatalogColumn> = {},
): CatalogColumn {
  return {
    name,
    type,
    nativeType: type,
    nullable: false,
    hasDefault: false,
    generated: false,
    writable: true,
    comment: null,
    privileges: ALL,
    ...extra,
  };
}

export function table(
  table: string,
  columns: CatalogColumn[],
  extra: Partial<CatalogRelation> = {},
): CatalogRelation {
  return {
    schema: 'public',
    table,
    kind: 'table',
    comment: null,
    columns,
    primaryKey: [],
    uniqueKeys: [],
    leadingColumns: [],
    accepts: { insert: true, update: true },
    meta: {},
    ...extra,
  };
}
