/**
 * Generated schemas for the discovery benchmark: 1,000 tables of 12 columns, 3 foreign keys each
 * (≈3,000), an index per table besides its keys, enums, and a view every 20 tables.
 */

export const TABLES = 1000;
const ENUMS = 10;
const VIEW_EVERY = 20;

/** Deterministic pseudo-random earlier table for the third foreign key. */
const earlier = (i: number) => (i * 7919) % i;

/**
 * PostgreSQL DDL, as statements small enough to send in batches. Fewer tables (the discovery
 * snapshot test) give the first `tables` of the same schema.
 */
export function postgresStatements(tables = TABLES): string[] {
  const statements: string[] = [];
  for (let e = 0; e < ENUMS; e++)
    statements.push(`create type status_${e} as enum ('new', 'open', 'closed', 'archived')`);
  for (let i = 0; i < tables; i++) {
    const refs = [i - 1, i - 2, earlier(i)].map((t, n) =>
      t >= 0 && i > 0 ? `ref_${n} int references t_${t}(id)` : `ref_${n} int`,
    );
    statements.push(`create table t_${i} (
      id serial primary key, code text unique, name text not null, status status_${i % ENUMS} default 'new',
      amount numeric(10, 2), created_at timestamptz not null default now(), notes text, tags text[],
      ${refs.join(', ')}, email text)`);
    statements.push(`create index t_${i}_ref_0 on t_${i} (ref_0)`);
    if (i % VIEW_EVERY === 0)
      statements.push(`create view v_${i} as select id, code, name, status from t_${i}`);
  }
  return statements;
}

/** MariaDB/MySQL DDL (InnoDB, so the foreign keys are real). */
export function mysqlStatements(tables = TABLES): string[] {
  const statements: string[] = [];
  for (let i = 0; i < tables; i++) {
    const refs = [i - 1, i - 2, earlier(i)];
    const fks = refs
      .map((t, n) => (t >= 0 && i > 0 ? `, foreign key (ref_${n}) references t_${t}(id)` : ''))
      .join('');
    statements.push(`create table t_${i} (
      id int auto_increment primary key, code varchar(40) unique, name varchar(100) not null,
      status enum('new', 'open', 'closed', 'archived') default 'new', amount decimal(10, 2),
      created_at timestamp not null default current_timestamp, notes text, tags json,
      ref_0 int, ref_1 int, ref_2 int, email varchar(100)${fks}) engine = InnoDB`);
    if (i % VIEW_EVERY === 0)
      statements.push(`create view v_${i} as select id, code, name, status from t_${i}`);
  }
  return statements;
}
