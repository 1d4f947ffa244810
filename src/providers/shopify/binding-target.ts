/** What Shopify contributes to binding: its own binder (paths through connections), compiler and wording. */
import type { BindingTarget } from '../../core/bindings/index.ts';
import { compileGraphql } from './binding-compile.ts';
import type { GraphqlPlan } from './binding-plan.ts';
import { validateGraphqlBinding } from './binding-validate.ts';

const words = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();

function describe(plan: GraphqlPlan): string {
  const label = words(plan.object);
  const returns = plan.outputs.map((o) => o.name).join(', ');
  const a = plan.access;
  if (a.kind === 'get')
    return `Fetch one ${label} by its id. Returns ${returns} in "rows" (empty when there is none).`;
  if (a.kind === 'search')
    return `Look up ${label} records by ${words(a.searchField)}. Returns ${returns} for at most ${plan.rowCap} matches in "rows"; "truncated" is true when more matched, so ask the caller for something more specific.`;
  const fields = (plan.values ?? [])
    .map((v) => words(v.arg))
    .filter((f) => f !== 'id')
    .join(', ');
  return `${plan.mode === 'update' ? 'Change' : 'Create'} ${fields} of ${plan.mode === 'update' ? 'one' : 'a new'} ${label}. Read the change back to the caller and call only once they confirm. Returns ${returns}.`;
}

export const shopifyBindingTarget: BindingTarget = {
  // Search fields are Shopify's indexed lookups already; no index to suggest.
  indexedFilter: false,
  validate: validateGraphqlBinding,
  compile: compileGraphql,
  describe,
};
