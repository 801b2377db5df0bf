/** The API's error codes, each with its HTTP status; services return outcomes, this edge maps them. */
export const API_ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'The request has invalid fields' },
  MALFORMED_JSON: { status: 400, message: 'The body is not valid JSON' },
  BODY_TOO_LARGE: { status: 413, message: 'The body is larger than allowed' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json' },
  UNAUTHORIZED: { status: 401, message: 'A valid bearer token is required' },
  FORBIDDEN: { status: 403, message: 'Not allowed for this caller' },
  ORDER_NOT_FOUND: { status: 404, message: 'No order with this id' },
  ACCOUNT_NOT_FOUND: { status: 404, message: 'No account with this id' },
  NOT_FOUND: { status: 404, message: 'No such resource' },
  ORDER_NOT_WORKING: { status: 409, message: 'The order is final (filled, canceled, rejected or expired) and can no longer change' },
  RATE_LIMITED: { status: 429, message: 'Too many requests from this caller; retry after the Retry-After seconds' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'A required part of the service is unavailable; retry later' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export interface ApiFieldError {
  readonly field: string;
  readonly message: string;
}

export interface ApiErrorBody<C extends ApiErrorCode = ApiErrorCode> {
  readonly error: { readonly code: C; readonly message: string; readonly fields?: readonly ApiFieldError[] };
}

/** An error answer; its status is the code's literal, so a typed route can check it is documented. */
export interface ApiErrorAnswer<C extends ApiErrorCode = ApiErrorCode> {
  readonly status: (typeof API_ERRORS)[C]['status'];
  readonly body: ApiErrorBody<C>;
}

export function apiError<C extends ApiErrorCode>(code: C, fields?: readonly ApiFieldError[], message?: string): ApiErrorAnswer<C> {
  const entry = API_ERRORS[code];
  return { status: entry.status, body: { error: { code, message: message ?? entry.message, ...(fields ? { fields } : {}) } } };
}
