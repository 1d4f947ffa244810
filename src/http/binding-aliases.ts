/**
 * Flowyte's documented binding names onto today's BindingBody (issue 10, item 4), before core sees
 * the body: `sqlSearch` is the one SQL read filter (an input), a projection item's `leaf` is its output
 * name (`as`), and a `toolName` a person wrote ("Look up the caller") becomes a tool name and a title.
 */
import type { BindingBody, ObjectMapEntry } from '../core/bindings/index.ts';
import { toolNameOf } from '../core/skills/index.ts';
import { AppError, type FieldError } from '../errors.ts';

/** The body as the route accepts it: today's names and Flowyte's. */
export interface DocumentedBindingBody extends Omit<BindingBody, 'projection' | 'inputObjectMap'> {
  sqlSearch?: { column: string; param: string };
  projection?: { path: string[]; as?: string; leaf?: string }[];
  inputObjectMap?: ObjectMapEntry[];
}

export function normalizeBindingBody(body: DocumentedBindingBody): {
  body: BindingBody;
  title: string | null;
} {
  const errors: FieldError[] = [];
  const { sqlSearch, projection, toolName, ...rest } = body;
  const inputs = [...(body.inputs ?? [])];
  if (sqlSearch) inputs.push({ param: sqlSearch.param, arg: sqlSearch.column });
  const items = projection?.map((p, i) => {
    if (p.as !== undefined && p.leaf !== undefined && p.as !== p.leaf)
      errors.push({
        field: `projection[${i}]`,
        message: 'has both "as" and "leaf" with different names; send one',
      });
    const name = p.as ?? p.leaf;
    return name === undefined ? { path: p.path } : { path: p.path, as: name };
  });
  if (errors.length) throw new AppError('validation_error', 'the binding body is not valid', { errors });
  const { name, title } = toolNameOf(toolName);
  const out: BindingBody = { ...rest, toolName: name };
  if (inputs.length || body.inputs) out.inputs = inputs;
  if (items) out.projection = items;
  return { body: out, title };
}
