/** JSON Schema validation for values core receives untyped (credentials, provider config). */
import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AppError, type FieldError } from '../../errors.ts';

/** An Ajv with our options and the standard formats; `coerceTypes` only for text inputs (query, path). */
export function makeAjv(coerceTypes: boolean): Ajv {
  const instance = new Ajv({
    allErrors: true,
    strict: false,
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
  });
  (addFormats as unknown as (a: Ajv) => void)(instance);
  return instance;
}

const ajv = makeAjv(false);
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Ajv reports a union of literals as one "must be equal to constant" per literal plus "must match a
 * schema in anyOf": folded here into one "must be one of a, b, c", as an enum error also reads.
 */
export function readableErrors(errors: ErrorObject[]): ErrorObject[] {
  const allowed = new Map<string, unknown[]>();
  for (const e of errors) {
    if (e.keyword === 'const') {
      const list = allowed.get(e.instancePath) ?? [];
      list.push((e.params as { allowedValue: unknown }).allowedValue);
      allowed.set(e.instancePath, list);
    }
  }
  const out: ErrorObject[] = [];
  const done = new Set<string>();
  for (const e of errors) {
    const values =
      e.keyword === 'enum'
        ? ((e.params as { allowedValues: unknown[] }).allowedValues ?? [])
        : (e.keyword === 'const' || e.keyword === 'anyOf') && allowed.has(e.instancePath)
          ? allowed.get(e.instancePath)!
          : null;
    if (!values) {
      out.push(e);
      continue;
    }
    if (done.has(e.instancePath)) continue;
    done.add(e.instancePath);
    out.push({ ...e, keyword: 'enum', message: `must be one of ${values.map(String).join(', ')}` });
  }
  return out;
}

export function fieldErrorsOf(validate: ValidateFunction, prefix: string): FieldError[] {
  return readableErrors(validate.errors ?? []).map((e) => {
    const params = e.params as Record<string, unknown>;
    const extra = (params.missingProperty ?? params.additionalProperty) as string | undefined;
    const parts = [prefix, e.instancePath.replace(/^\//, '').replace(/\//g, '.'), extra].filter(Boolean);
    const message =
      e.keyword === 'additionalProperties'
        ? 'is not an allowed field'
        : e.keyword === 'required'
          ? 'is required'
          : (e.message ?? 'is invalid');
    return { field: parts.join('.') || prefix, message };
  });
}

export function compile(schema: TSchema | Record<string, unknown>): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** Validates or throws a 400 validation_error listing every problem at once. */
export function validateOrThrow<T>(schema: TSchema, value: unknown, prefix: string, what: string): T {
  const fn = compile(schema);
  if (fn(value)) return value as T;
  const allowed = Object.keys((schema as { properties?: object }).properties ?? {});
  const errors = fieldErrorsOf(fn, prefix).map((e) =>
    // A misspelt top-level field (`username` for `user`): name the ones that exist.
    e.message === 'is not an allowed field' && allowed.length && e.field.split('.').length <= 2
      ? { ...e, message: `is not an allowed field; the fields are ${allowed.join(', ')}` }
      : e,
  );
  // The first problem in the detail too, so a client that prints only `detail` learns what to fix.
  const first = `${errors[0].field} ${errors[0].message}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more in errors[])` : '';
  throw new AppError('validation_error', `${what} are not valid: ${first}${more}`, { errors });
}
