import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fixtureSchema } from '../../../test/support/bindings-fixture.ts';
import { sqlBindingTarget } from '../../providers/sql-common/binding-target.ts';
import { compileBinding } from '../../providers/sql-common/compile.ts';
import { mysqlDialect, postgresDialect } from '../../providers/sql-common/compile-dialect.ts';
import { checkParametersSchema } from '../agents/index.ts';
import { applyScoping } from '../connections/index.ts';
import type { BindingBody } from './model.ts';
import { buildParametersSchema } from './params.ts';
import { SchemaIndex } from './resolve.ts';
import { validateBinding } from './validate.ts';

const target = sqlBindingTarget('postgres');
const index = (blocked: { objects?: string[]; fields?: string[] } = {}) => {
  const scoping = { blockedObjects: blocked.objects ?? [], blockedFields: blocked.fields ?? [] };
  return new SchemaIndex(applyScoping(fixtureSchema(), scoping), scoping);
};
const read = (over: Partial<BindingBody> = {}): BindingBody => ({
  toolName: 't',
  operation: 'client.search_by_email',
  inputs: [{ param: 'caller_email', arg: 'email' }],
  projection: [{ path: ['full name'], as: 'name' }, { path: ['town', 'zip'] }],
  ...over,
});

describe('the binder', () => {
  test('a valid read resolves to a plan with one filter, one join and tool-safe outputs', () => {
    const v = validateBinding(index(), read(), target);
    expect(v.problems.list).toEqual([]);
    expect(v.plan).toMatchObject({
      mode: 'read',
      filter: { param: 'caller_email' },
      rowCap: 10,
      joins: [{ alias: 'j1', relationship: 'client.town', on: [['town_id', 'id']] }],
    });
    const schema = buildParametersSchema(v.uses);
    expect(() => checkParametersSchema(schema)).not.toThrow();
    expect(schema.properties.caller_email).toMatchObject({ format: 'email', maxLength: 80 });
  });

  test('identifiers are quoted by each engine and values never reach the SQL text', () => {
    const v = validateBinding(index(), read(), target);
    const pgSql = compileBinding(postgresDialect, 'postgres', v.plan!);
    expect(pgSql.sql).toBe(
      'SELECT "t"."full name" AS "c0", "j1"."zip" AS "c1" FROM "sales""; drop"."client`s" AS "t" LEFT JOIN "sales""; drop"."town" AS "j1" ON "j1"."id" = "t"."town_id" WHERE "t"."email" = $1 LIMIT 11',
    );
    expect(pgSql.args).toEqual([{ param: 'caller_email' }]);
    const mySql = compileBinding(mysqlDialect, 'mysql', v.plan!);
    expect(mySql.sql).toBe(
      'SELECT `t`.`full name` AS `c0`, `j1`.`zip` AS `c1` FROM `sales"; drop`.`client``s` AS `t` LEFT JOIN `sales"; drop`.`town` AS `j1` ON `j1`.`id` = `t`.`town_id` WHERE `t`.`email` = ? LIMIT 11',
    );
    expect(Object.isFrozen(pgSql)).toBe(true);
    expect(pgSql.id).not.toBe(mySql.id);
  });

  test('writes compile to a RETURNING CTE on PostgreSQL and a read-back by LAST_INSERT_ID on MySQL', () => {
    const body: BindingBody = {
      toolName: 'w',
      operation: 'client.insert',
      inputObjectMap: [
        { field: 'full name', param: 'caller_name' },
        { field: 'visits', const: 3 },
      ],
    };
    const v = validateBinding(index(), body, target);
    expect(v.problems.list).toEqual([]);
    const pgSql = compileBinding(postgresDialect, 'postgres', v.plan!);
    expect(pgSql.sql).toBe(
      'WITH "w" AS (INSERT INTO "sales""; drop"."client`s" ("full name", "visits") VALUES ($1, $2) RETURNING "id", "full name", "visits") SELECT "t"."id" AS "c0", "t"."full name" AS "c1", "t"."visits" AS "c2" FROM "w" AS "t"',
    );
    expect(pgSql.args).toEqual([{ param: 'caller_name' }, { const: 3 }]);
    const mySql = compileBinding(mysqlDialect, 'mysql', v.plan!);
    expect(mySql.sql).toBe('INSERT INTO `sales"; drop`.`client``s` (`full name`, `visits`) VALUES (?, ?)');
    expect(mySql.reread).toEqual({
      sql: 'SELECT `t`.`id` AS `c0`, `t`.`full name` AS `c1`, `t`.`visits` AS `c2` FROM `sales"; drop`.`client``s` AS `t` WHERE `t`.`id` = ?',
      args: [{ insertId: true }],
    });
  });

  test('refusals are collected, not thrown: unindexed filter, blocked field, sensitive write, non-scalar leaves', () => {
    const unindexed = validateBinding(index(), read({ inputs: [{ param: 'p', arg: 'phone' }] }), target);
    expect(unindexed.problems.list[0].message).toContain(
      'CREATE INDEX "client_s_phone_idx" ON "sales""; drop"."client`s" ("phone");',
    );
    const blocked = validateBinding(index({ fields: ['town.zip'] }), read(), target);
    expect(blocked.problems.list).toEqual([
      { field: 'projection[1].path', message: '"town.zip" is blocked by the operator\'s scoping' },
    ]);
    const leaves = validateBinding(
      index(),
      read({
        projection: [
          { path: ['tags'] },
          { path: ['prefs'] },
          { path: ['town'] },
          { path: ['town.clients', 'id'] },
        ],
      }),
      target,
    );
    expect(leaves.problems.list.map((e) => e.field)).toEqual([
      'projection[0].path',
      'projection[1].path',
      'projection[2].path',
      'projection[3].path',
    ]);
    const sensitive = validateBinding(
      index(),
      {
        toolName: 'w',
        operation: 'client.insert',
        inputObjectMap: [
          { field: 'full name', param: 'n' },
          { field: 'ssn', param: 's' },
          { field: 'born', param: 'date' },
        ],
      },
      target,
    );
    expect(sensitive.problems.list.map((e) => e.field)).toEqual([
      'inputObjectMap[1].field',
      'inputObjectMap[2].field',
    ]);
    const key = validateBinding(
      index(),
      {
        toolName: 'u',
        operation: 'client.update',
        keyColumn: 'phone',
        keyParam: 'p',
        inputObjectMap: [{ field: 'email', param: 'caller_email' }],
      },
      target,
    );
    expect(key.problems.list[0]).toMatchObject({
      field: 'keyColumn',
      message: expect.stringMatching(/not a single-column unique key/),
    });
  });

  test('any body the route schema admits gives a plan or problems, never an exception', () => {
    const names = fc.oneof(
      fc.constantFrom(
        'email',
        'full name',
        'id',
        'town',
        'client.town',
        'town.clients',
        'zip',
        'ssn',
        'tags',
        'confirmed',
        '',
      ),
      fc.string({ maxLength: 12 }),
    );
    const body = fc.record({
      toolName: fc.string({ minLength: 1, maxLength: 10 }),
      operation: fc.oneof(
        fc.constantFrom(
          'client.search_by_email',
          'client.get',
          'client.insert',
          'client.update',
          'client.search_by_phone',
          'town.get',
        ),
        fc.string(),
      ),
      inputs: fc.option(fc.array(fc.record({ param: names, arg: names }), { maxLength: 3 }), {
        nil: undefined,
      }),
      projection: fc.option(
        fc.array(
          fc.record({
            path: fc.array(names, { minLength: 1, maxLength: 4 }),
            as: fc.option(names, { nil: undefined }),
          }),
          { maxLength: 4 },
        ),
        { nil: undefined },
      ),
      inputObjectMap: fc.option(
        fc.array(
          fc.oneof(
            fc.record({ field: names, param: names }),
            fc.record({
              field: names,
              const: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
            }),
          ),
          { maxLength: 4 },
        ),
        { nil: undefined },
      ),
      keyColumn: fc.option(names, { nil: undefined }),
      keyParam: fc.option(names, { nil: undefined }),
      isWrite: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(body, (b) => {
        const v = validateBinding(index(), b as BindingBody, target);
        if (v.plan) {
          const compiled = compileBinding(postgresDialect, 'postgres', v.plan);
          expect(() => checkParametersSchema(buildParametersSchema(v.uses))).not.toThrow();
          expect(compiled.sql.split('$').length - 1).toBe(compiled.args.length);
        } else expect(v.problems.list.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });
});
