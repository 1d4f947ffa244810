/**
 * What SQL providers contribute to binding: core's relational binder with an indexed filter, the
 * index that would make a column bindable, and the compiler to a frozen parameterized statement.
 */
import type { BindingPlan, BindingTarget } from '../../core/bindings/index.ts';
import { compileBinding } from './compile.ts';
import { caseInsensitiveRefusal, createIndexDdl, dialectOf } from './compile-dialect.ts';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from './execute.ts';

export function sqlBindingTarget(engine: 'postgres' | 'mysql'): BindingTarget {
  const dialect = dialectOf(engine);
  return {
    indexedFilter: true,
    indexHint: (object, field) => createIndexDdl(dialect, object, field),
    caseInsensitive: (object, field) => caseInsensitiveRefusal(dialect, object, field),
    compile(plan: BindingPlan) {
      const compiled = compileBinding(dialect, engine, plan);
      return { compiled, outputs: compiled.outputs };
    },
    // An operator setting (PATCH executionConfig to change it): the bound on each statement.
    executionConfig: { statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS },
  };
}
