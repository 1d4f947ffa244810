/** Runs a compiled GraphQL binding: variables from the caller's arguments, the answer shaped into rows. */
import { AppError } from '../../errors.ts';
import type { ProviderContext } from '../types.ts';
import { LIST_CAP } from './binding-compile.ts';
import type { CompiledGraphql, CompiledOutputPath } from './binding-plan.ts';
import { DEFAULT_ROW_CAP } from './binding-validate.ts';
import { connectionAuth, shopifyGraphql } from './client.ts';
import { samePhone } from './orders.ts';
import { searchTerm } from './search-string.ts';

type Scalar = string | number | boolean | null;

const boundValue = (v: { param: string } | { const: Scalar }, args: Record<string, unknown>): unknown =>
  'param' in v ? (args[v.param] ?? null) : v.const;

/** One output of one record: a scalar, or a list when the path goes through a list or connection. */
function pick(record: unknown, out: CompiledOutputPath): unknown {
  const walk = (node: unknown, from: number): unknown => {
    let cur = node;
    for (let i = from; i < out.path.length; i++) {
      if (cur === null || cur === undefined) return null;
      cur = (cur as Record<string, unknown>)[out.path[i]];
      if (i === out.listAt) {
        const items = out.connectionAt === i ? (cur as { nodes?: unknown[] } | null)?.nodes : cur;
        // Lists without a `first` argument come back whole: the cap holds here too.
        return Array.isArray(items) ? items.slice(0, LIST_CAP).map((item) => walk(item, i + 1)) : [];
      }
    }
    return cur ?? null;
  };
  return walk(record, 0);
}

function sameValue(match: 'text' | 'digits', stored: unknown, given: unknown): boolean {
  if (typeof stored !== 'string' || (typeof given !== 'string' && typeof given !== 'number')) return false;
  if (match === 'digits') return samePhone(stored, String(given));
  return stored.trim().toLowerCase() === String(given).trim().toLowerCase();
}

const shape = (record: unknown, outputs: CompiledOutputPath[]) =>
  Object.fromEntries(outputs.map((o) => [o.name, pick(record, o)]));

export async function executeGraphqlBinding(
  credentials: Record<string, unknown>,
  compiled: CompiledGraphql,
  args: Record<string, unknown>,
  ctx: ProviderContext,
): Promise<unknown> {
  const auth = connectionAuth(credentials, ctx);
  if (compiled.access === 'mutation') {
    const input: Record<string, unknown> = {};
    const variables: Record<string, unknown> = {};
    for (const v of compiled.values ?? []) {
      if (v.input) input[v.arg] = boundValue(v.value, args);
      else variables[v.arg] = boundValue(v.value, args);
    }
    if (Object.keys(input).length) variables.input = input;
    const data = await shopifyGraphql(ctx, auth, { query: compiled.document, variables });
    const r = data.r as { o?: unknown; userErrors?: { field?: string[] | null; message: string }[] } | null;
    const errors = r?.userErrors ?? [];
    if (errors.length) {
      throw new AppError(
        'write_not_applied',
        `Shopify did not apply the change: ${errors
          .map((e) => e.message)
          .join('; ')
          .slice(0, 400)}`,
        {
          errors: errors
            .slice(0, 10)
            .map((e) => ({ field: (e.field ?? []).join('.') || 'input', message: e.message.slice(0, 300) })),
        },
      );
    }
    return { record: r?.o ? shape(r.o, compiled.outputs) : null };
  }
  const raw = args[compiled.filterParam!];
  if (raw === undefined || raw === null || raw === '') return { rows: [], rowCount: 0, truncated: false };
  const cap = compiled.rowCap ?? DEFAULT_ROW_CAP;
  let records: unknown[];
  if (compiled.access === 'get') {
    // Callers read out the number; Shopify wants the global id.
    const id =
      /^\d+$/.test(String(raw)) && compiled.gidType
        ? `gid://shopify/${compiled.gidType}/${raw}`
        : String(raw);
    const data = await shopifyGraphql(ctx, auth, { query: compiled.document, variables: { id } });
    records = data.r ? [data.r] : [];
  } else {
    const q = searchTerm(compiled.searchField!, raw as string | number | boolean);
    const data = await shopifyGraphql(ctx, auth, { query: compiled.document, variables: { q, n: cap + 1 } });
    records = ((data.r as { nodes?: unknown[] } | null)?.nodes ?? []) as unknown[];
    // Shopify's search is a search: on a personal field (an email, a phone) only the caller's own
    // value may answer, never whatever a partial value happens to match.
    const exact = compiled.exactMatch;
    if (exact)
      records = records.filter((rec) =>
        sameValue(exact.match, (rec as Record<string, unknown>)?.[exact.field], raw),
      );
  }
  const truncated = records.length > cap;
  const rows = records.slice(0, cap).map((rec) => shape(rec, compiled.outputs));
  return { rows, rowCount: rows.length, truncated };
}
