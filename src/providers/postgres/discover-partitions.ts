/**
 * Keys declared on partitions rather than on their partitioned parent (Pagila's `payment` declares
 * its foreign keys and indexes on each monthly partition). Discovery shows the parent only, so a
 * foreign key or an index leading column that every leaf partition has is lifted onto the parent:
 * a query on the parent then uses each partition's index, and every row obeys the foreign key.
 * Unique keys are not lifted: uniqueness per partition is not uniqueness across them.
 */
/**
 * Leaf partitions of visible parents: their count, their own FKs, and their equality-index leading
 * columns, as row objects (a part of discover-queries.ts's statement, reading its `visible`).
 */
export const PARTITION_KEYS = `with leaves as materialized (
  -- From the visible partitioned tables down, rather than a scan of pg_class for every partition.
  select t.relid::oid as oid, v.oid as root
  from visible v
  cross join lateral pg_catalog.pg_partition_tree(v.oid) t
  where v.relkind = 'p' and t.isleaf
)
select pg_catalog.json_agg(r) from (
  select l.root::int8 as root, 'leaf' as kind, l.oid::int8 as leaf, null::text as name,
    null::text[] as columns, null::int8 as target_relid, null::int2[] as target_columns
  from leaves l
  union all
  select l.root::int8, 'fk', l.oid::int8, con.conname::text,
    array(select a.attname::text from pg_catalog.unnest(con.conkey) with ordinality k(attnum, ord)
          join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord),
    con.confrelid::int8, con.confkey
  from leaves l
  join pg_catalog.pg_constraint con on con.conrelid = l.oid and con.contype = 'f' and con.conparentid = 0
  union all
  select l.root::int8, 'index', l.oid::int8, null, array[a.attname::text], null, null
  from leaves l
  join pg_catalog.pg_index i on i.indrelid = l.oid and i.indisvalid and i.indpred is null and i.indkey[0] <> 0
  join pg_catalog.pg_class ic on ic.oid = i.indexrelid
  join pg_catalog.pg_am am on am.oid = ic.relam and am.amname in ('btree', 'hash')
  join pg_catalog.pg_attribute a on a.attrelid = l.oid and a.attnum = i.indkey[0]
) r`;

export interface LiftedForeignKey {
  root: number;
  name: string;
  columns: string[];
  targetRelid: number;
  targetColumns: number[];
}

/** Foreign keys and leading columns present on every leaf partition of a parent. */
export function liftPartitionKeys(rows: any[]): {
  foreignKeys: LiftedForeignKey[];
  leading: Map<number, string[]>;
} {
  const leaves = new Map<number, Set<number>>();
  const fks = new Map<string, { fk: LiftedForeignKey; leaves: Set<number> }>();
  const indexes = new Map<string, { root: number; column: string; leaves: Set<number> }>();
  for (const row of rows) {
    if (row.kind === 'leaf') {
      if (!leaves.has(row.root)) leaves.set(row.root, new Set());
      leaves.get(row.root)!.add(row.leaf);
    } else if (row.kind === 'fk') {
      const signature = JSON.stringify([row.root, row.columns, row.target_relid, row.target_columns]);
      const entry = fks.get(signature) ?? {
        fk: {
          root: row.root,
          name: row.name,
          columns: row.columns,
          targetRelid: row.target_relid,
          targetColumns: row.target_columns,
        },
        leaves: new Set<number>(),
      };
      // The alphabetically first partition's constraint name: stable while partitions come and go.
      if (row.name < entry.fk.name) entry.fk.name = row.name;
      entry.leaves.add(row.leaf);
      fks.set(signature, entry);
    } else {
      const signature = JSON.stringify([row.root, row.columns[0]]);
      const entry = indexes.get(signature) ?? {
        root: row.root,
        column: row.columns[0],
        leaves: new Set<number>(),
      };
      entry.leaves.add(row.leaf);
      indexes.set(signature, entry);
    }
  }
  const onEveryLeaf = (root: number, seen: Set<number>) => seen.size === leaves.get(root)?.size;
  const leading = new Map<number, string[]>();
  for (const entry of indexes.values()) {
    if (!onEveryLeaf(entry.root, entry.leaves)) continue;
    leading.set(entry.root, [...(leading.get(entry.root) ?? []), entry.column]);
  }
  const foreignKeys = [...fks.values()].filter((e) => onEveryLeaf(e.fk.root, e.leaves)).map((e) => e.fk);
  return { foreignKeys, leading };
}
