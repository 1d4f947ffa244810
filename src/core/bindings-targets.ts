/**
 * Binding targets by provider kind. A provider whose bindings are not SQL (a spreadsheet, a GraphQL
 * API) adds its own entry here with its rules and compiler; the binder itself stays generic.
 */
import { AppError } from '../errors.ts';
import { compileBinding } from '../providers/sql-common/compile.ts';
import { createIndexDdl, dialectOf } from '../providers/sql-common/compile-dialect.ts';
import type { BindingTarget } from './bindings-model.ts';

function sqlTarget(kind: string, engine: 'postgres' | 'mysql'): BindingTarget {
  const dialect = dialectOf(engine);
  return {
    kind,
    indexedFilter: true,
    indexHint: (object, field) => createIndexDdl(dialect, object, field),
    compile(plan) {
      const compiled = compileBinding(dialect, kind, plan);
      return { compiled, outputs: compiled.outputs };
    },
  };
}

const TARGETS = new Map<string, BindingTarget>([
  ['postgres', sqlTarget('postgres', 'postgres')],
  ['mysql', sqlTarget('mysql', 'mysql')],
]);

export function bindingTarget(kind: string): BindingTarget {
  const target = TARGETS.get(kind);
  if (!target)
    throw new AppError(
      'validation_error',
      `${kind.slice(0, 64)} skills come from its actions or pack, not from bindings`,
    );
  return target;
}
