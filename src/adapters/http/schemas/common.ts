import { Type, type TSchema, type TSchemaOptions } from 'typebox';
import { API_ERRORS, type ApiErrorCode } from '../errors.js';

/**
 * Building blocks of the API's documented schemas. They describe what the routes send and what
 * clients should send; requests are still checked by the domain (a 400 VALIDATION_FAILED naming
 * each bad field), never by Fastify's Ajv (see createHttpApp).
 */

export const Nullable = <T extends TSchema>(schema: T, options?: TSchemaOptions) => Type.Union([schema, Type.Null()], options);

/** Exact decimals travel as strings (no binary floating point for prices or money). */
export const Decimal = (description: string) => Type.String({ pattern: '^-?\\d+(\\.\\d+)?$', description });

export const IsoTime = Type.String({ format: 'date-time' });

const ERROR_CODES = Object.keys(API_ERRORS) as ApiErrorCode[];

const FieldError = Type.Object({
  field: Type.String({ description: 'The bad field, e.g. quantity, or body for the body as a whole' }),
  message: Type.String(),
});

/** Every error: a stable code, a message, and the fields at fault when there are any. */
const apiError = (description: string) =>
  Type.Object(
    {
      error: Type.Object({
        code: Type.Enum(ERROR_CODES),
        message: Type.String(),
        fields: Type.Optional(Type.Immutable(Type.Array(FieldError, { description: 'Each bad field, all at once' }))),
      }),
    },
    { description },
  );

export type ApiErrorSchema = ReturnType<typeof apiError>;

/** A route's documented error answers; every authenticated route may also answer 401, 429, 500 and 503. */
export function errorResponses<const C extends keyof typeof ERROR_DESCRIPTIONS>(...codes: C[]) {
  const documented = [...codes, ...ALWAYS] as (C | (typeof ALWAYS)[number])[];
  return Object.fromEntries(documented.map((code) => [code, apiError(ERROR_DESCRIPTIONS[code])])) as Record<C | (typeof ALWAYS)[number], ApiErrorSchema>;
}

const ALWAYS = [401, 429, 500, 503] as const;

const ERROR_DESCRIPTIONS = {
  400: 'VALIDATION_FAILED naming each bad field, or MALFORMED_JSON',
  401: 'UNAUTHORIZED: no valid bearer token (WWW-Authenticate says why)',
  403: 'FORBIDDEN: the caller lacks the role, or is not entitled to the account it named',
  404: 'ORDER_NOT_FOUND, ACCOUNT_NOT_FOUND or NOT_FOUND: unknown, or not visible to this caller',
  409: 'ORDER_NOT_WORKING: the order is final and can no longer change',
  413: 'BODY_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE: send application/json',
  429: 'RATE_LIMITED: retry after the Retry-After seconds',
  500: 'INTERNAL',
  503: 'SERVICE_UNAVAILABLE: retry later (for an order: with the same clientOrderId)',
} as const;

/** Errors about a JSON body, for the routes that take one. */
export const BODY_ERRORS = [400, 413, 415] as const;
