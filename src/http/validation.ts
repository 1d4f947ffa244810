/**
 * Two validators: query strings and path parameters are coerced from text ("limit=20"), bodies are
 * not — a JSON body with a string where a number belongs is a client error, not something to guess.
 *
 * Validators and response serializers are compiled on a route's first request, not at start: the
 * server has some 150 routes, and compiling all of them up front was most of its start time.
 */
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { makeAjv } from '../core/shared/index.ts';

let ajvs: { strict: ReturnType<typeof makeAjv>; coercing: ReturnType<typeof makeAjv> } | undefined;

/** Compiles a schema as the route's `httpPart` needs it (now: tests use it to check every route's). */
export function compileValidator(schema: object, httpPart: string | undefined): ValidateFunction {
  ajvs ??= { strict: makeAjv(false), coercing: makeAjv(true) };
  return (httpPart === 'body' ? ajvs.strict : ajvs.coercing).compile(schema);
}

export const validatorCompiler: FastifySchemaCompiler<any> = ({ schema, httpPart }) => {
  let compiled: ValidateFunction | undefined;
  // Fastify reads the errors from the function it was given, after calling it.
  const validate = (data: unknown) => {
    compiled ??= compileValidator(schema as object, httpPart);
    const ok = compiled(data);
    validate.errors = compiled.errors;
    return ok;
  };
  validate.errors = null as ValidateFunction['errors'];
  return validate;
};

/** Fastify's own serializer factory (fast-json-stringify), wrapped to compile on first use. */
export function lazySerializers(): SerializerSelector.SerializerFactory {
  const build = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => {
      let serialize: SerializerSelector.Serializer | undefined;
      return (data) => {
        serialize ??= compile(route);
        return serialize(data);
      };
    };
  };
}
