import { authorization } from './access-token.js';
import type { ApiErrorBody, FieldError, Me, Order, OrderDetails } from './types.js';

/** An answer other than 2xx, with the API's code and the fields it names (400 VALIDATION_FAILED). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldError[],
  ) {
    super(message);
  }

  /** 401: the page has no token, or its token expired (AUTH_MODE=oidc: the user signs in again). */
  get loginRequired(): boolean {
    return this.status === 401;
  }
}

/** One API call as the page's user: its token if it has one; an answer other than 2xx throws ApiError. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { ...authorization(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (json as ApiErrorBody | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'HTTP_ERROR', error?.message ?? `${method} ${path}: ${response.status}`, error?.fields ?? []);
  }
  return json as T;
}

export const submitOrder = (request: Record<string, unknown>): Promise<Order> => call('POST', '/api/v1/orders', request);

/** The account's newest orders (the API's most: 500). */
export const listOrders = async (accountId: string, limit = 500): Promise<Order[]> =>
  (await call<{ orders: Order[] }>('GET', `/api/v1/orders?accountId=${encodeURIComponent(accountId)}&limit=${limit}`)).orders;

export const orderDetails = (orderId: string): Promise<OrderDetails> => call('GET', `/api/v1/orders/${encodeURIComponent(orderId)}`);

export const cancelOrder = (orderId: string): Promise<unknown> => call('DELETE', `/api/v1/orders/${encodeURIComponent(orderId)}`);

/** A working order's new quantity and/or limit price (PATCH): 202 with the order as accepted; the stream tells how it ends. */
export const replaceOrder = (orderId: string, change: Record<string, unknown>): Promise<Order> =>
  call('PATCH', `/api/v1/orders/${encodeURIComponent(orderId)}`, change);

/** Who the page's user is: roles, accounts, and what the roles allow. */
export const whoAmI = (): Promise<Me> => call('GET', '/api/v1/me');
