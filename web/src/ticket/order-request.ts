/** What the ticket's fields hold: text as typed, so the API, not the page, judges a bad value. */
export interface TicketFields {
  accountId: string;
  symbol: string;
  side: string;
  orderType: string;
  quantity: string;
  limitPrice: string;
  timeInForce: string;
  strategy: string;
}

export const EMPTY_TICKET: TicketFields = {
  accountId: 'ACC-12345',
  symbol: 'AAPL',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: '100',
  limitPrice: '',
  timeInForce: 'DAY',
  strategy: '',
};

/** A number when the text is one, else the text itself, for the API to name in its 400. */
export const numberOrText = (text: string): number | string | undefined => {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : trimmed;
};

/** The POST /api/v1/orders body; a fresh clientOrderId per submission (the API is idempotent on it). */
export function orderRequest(fields: TicketFields, clientOrderId: string): Record<string, unknown> {
  const isLimit = fields.orderType === 'LIMIT';
  return {
    clientOrderId,
    accountId: fields.accountId.trim(),
    symbol: fields.symbol.trim().toUpperCase(),
    side: fields.side,
    orderType: fields.orderType,
    quantity: numberOrText(fields.quantity),
    // A decimal string: the API keeps prices in fixed point, and a string never loses digits.
    limitPrice: isLimit ? fields.limitPrice.trim() || undefined : null,
    timeInForce: fields.timeInForce,
    ...(fields.strategy ? { strategy: fields.strategy } : {}),
  };
}

export const newClientOrderId = (): string => `WEB-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
