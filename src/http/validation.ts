/**
 * Two validators: query strings and path parameters are coerced from text ("limit=20"), bodies are
 * not — a JSON body with a string where a number belongs is a client error, not something to guess.
 */
import type { FastifySchemaCompiler } from 'fastify';
import { makeAjv } from '../core/validate.ts';

const strict = makeAjv(false);
const coercing = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<any> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : coercing).compile(schema as object);
