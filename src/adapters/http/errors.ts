/** The API's error codes, each with its HTTP status; services return outcomes, this edge maps them. */
export const API_ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'The request has invalid fields' },
  MALFORMED_JSON: { status: 400, message: 'The body is not valid JSON' },
  BODY_TOO_LARGE: { status: 413, message: 'The body is larger than allowed' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json' },
  ORDER_NOT_FOUND: { status: 404, message: 'No order with this id' },
  NOT_FOUND: { status: 404, message: 'No such resource' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'A required part of the service is unavailable; retry later' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export interface ApiFieldError {
  readonly field: string;
  readonly message: string;
}

export interface ApiErrorBody {
  readonly error: { readonly code: ApiErrorCode; readonly message: string; readonly fields?: readonly ApiFieldError[] };
}

export function apiError(code: ApiErrorCode, fields?: readonly ApiFieldError[], message?: string): { status: number; body: ApiErrorBody } {
  const entry = API_ERRORS[code];
  return { status: entry.status, body: { error: { code, message: message ?? entry.message, ...(fields ? { fields } : {}) } } };
}
