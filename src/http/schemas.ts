/** Shared OpenAPI/validation schemas: the envelope, problems, common parameters. */
import { type TSchema, Type } from '@sinclair/typebox';

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);

export const Envelope = <T extends TSchema>(data: T) => Type.Object({ success: Type.Literal(true), data });

export const PageEnvelope = <T extends TSchema>(item: T) =>
  Type.Object({
    success: Type.Literal(true),
    data: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });

/** Responses every authenticated route can give besides its success. */
export const problemResponses = {
  '4xx': Problem,
  '5xx': Problem,
};

export const KindParams = Type.Object({ kind: Type.String({ minLength: 1, maxLength: 64 }) });

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
