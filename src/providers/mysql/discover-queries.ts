/**
 * information_schema queries of MySQL/MariaDB discovery. Each filters on one constant schema name
 * (bound client-side by mysql2's `query`, so the server sees a literal): that lets the server read
 * only that database's tables instead of every table it has.
 */

export const TABLES_SQL = `select TABLE_NAME as name, TABLE_TYPE as type, TABLE_COMMENT as comment
from information_schema.TABLES where TABLE_SCHEMA = ?`;

/** PRIVILEGES is the user's privileges on each column, global, database, table and column grants merged. */
export const COLUMNS_SQL = `select TABLE_NAME as table_name, COLUMN_NAME as name, ORDINAL_POSITION as position,
  DATA_TYPE as data_type, COLUMN_TYPE as column_type, IS_NULLABLE as nullable, COLUMN_DEFAULT as default_value,
  EXTRA as extra, COLUMN_COMMENT as comment, PRIVILEGES as privileges
from information_schema.COLUMNS where TABLE_SCHEMA = ?`;

export const INDEXES_SQL = `select TABLE_NAME as table_name, INDEX_NAME as index_name, SEQ_IN_INDEX as seq,
  COLUMN_NAME as column_name, NON_UNIQUE as non_unique, INDEX_TYPE as index_type
from information_schema.STATISTICS where TABLE_SCHEMA = ?`;

export const FOREIGN_KEYS_SQL = `select CONSTRAINT_NAME as name, TABLE_NAME as table_name, COLUMN_NAME as column_name,
  ORDINAL_POSITION as position, REFERENCED_TABLE_SCHEMA as ref_schema, REFERENCED_TABLE_NAME as ref_table,
  REFERENCED_COLUMN_NAME as ref_column
from information_schema.KEY_COLUMN_USAGE where TABLE_SCHEMA = ? and REFERENCED_TABLE_NAME is not null`;

/**
 * The second parameter lists the view names TABLES returned: with the names spelled out the server
 * opens only those views instead of every table of the database.
 */
export const VIEWS_SQL = `select TABLE_NAME as name, IS_UPDATABLE as updatable
from information_schema.VIEWS where TABLE_SCHEMA = ? and TABLE_NAME in (?)`;

/**
 * MariaDB's JSON is an alias of LONGTEXT plus a `json_valid(col)` CHECK constraint; only MariaDB's
 * CHECK_CONSTRAINTS has TABLE_NAME (MySQL 8 has a native JSON type and needs no such query). The
 * second parameter lists the tables that have a LONGTEXT column, the only ones worth opening.
 */
export const MARIADB_JSON_CHECKS_SQL = `select TABLE_NAME as table_name, CHECK_CLAUSE as clause
from information_schema.CHECK_CONSTRAINTS
where CONSTRAINT_SCHEMA = ? and TABLE_NAME in (?) and CHECK_CLAUSE like '%json\\_valid%'`;
