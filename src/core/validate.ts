/** JSON Schema validation for values core receives untyped (credentials, provider config). */
import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AppError, type FieldError } from '../errors.ts';

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

export function fieldErrorsOf(validate: ValidateFunction, prefix: string): FieldError[] {
  return (validate.errors ?? []).map((e) => {
    const params = e.params as Record<string, unknown>;
    const extra = (params.missingProperty ?? params.additionalProperty) as string | undefined;
    const parts = [prefix, e.instancePath.replace(/^\//, '').replace(/\//g, '.'), extra].filter(Boolean);
    const message =
      e.keyword === 'additionalProperties' ? 'is not an allowed field' : (e.message ?? 'is invalid');
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
  if (!fn(value))
    throw new AppError('validation_error', `${what} are not valid`, { errors: fieldErrorsOf(fn, prefix) });
  return value as T;
}
