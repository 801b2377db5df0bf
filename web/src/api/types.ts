/**
 * The HTTP API's JSON, as the browser receives it (README, /openapi.json). Declared here rather than
 * imported from src/: the page depends on the published contract, never on the server's code.
 */
export const SIDES = ['BUY', 'SELL', 'SELL_SHORT'] as const;
export const ORDER_TYPES = ['LIMIT', 'MARKET'] as const;
export const TIMES_IN_FORCE = ['DAY', 'GTC', 'IOC', 'FOK'] as const;
export const STRATEGIES = ['BEST_PRICE_FEE_AWARE', 'SWEEP', 'SPRAY', 'DARK_FIRST', 'POST_PASSIVE'] as const;

/** Statuses after which an order never changes again: no cancel button. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['FILLED', 'CANCELED', 'REPLACED', 'REJECTED', 'EXPIRED']);

export interface Order {
  orderId: string;
  clientOrderId: string;
  accountId: string;
  symbol: string;
  side: string;
  orderType: string;
  quantity: number;
  limitPrice: string | null;
  timeInForce: string;
  strategy?: string | null;
  status: string;
  filledQuantity: number;
  leavesQuantity: number;
  avgPrice: string | null;
  rejectReason: string | null;
  version?: number;
  createdAt: string;
  updatedAt: string;
}

export interface Fill {
  execId: string;
  venue: string;
  quantity: number;
  childOrderId: string;
  price: string;
  occurredAt: string;
}

export interface ChildOrder {
  childOrderId: string;
  venue: string;
  orderType: string;
  timeInForce: string;
  quantity: number;
  limitPrice: string | null;
  routeAttempt: number;
  strategy: string | null;
  /** The consolidated best bid and offer the router saw when it placed this child. */
  nbboBid: string | null;
  nbboAsk: string | null;
  routedAt: string;
  status: string;
  filledQuantity: number;
  leavesQuantity: number;
}

export interface HistoryEvent {
  seq: number;
  eventType: string;
  status: string;
  detail: Record<string, unknown>;
  source: string;
  occurredAt: string;
}

/** One order's execution quality, against the NBBO its first route saw (decimals as strings). */
export interface OrderQuality {
  orderedQuantity: number;
  filledQuantity: number;
  fillRate: string;
  averagePrice: string | null;
  slippageBps: string | null;
  shortfallBps: string | null;
  /** In money, over every share filled, against the arrival far side (ask for a buy). */
  priceImprovement: string | null;
  priceImprovementBps: string | null;
  feesPaid: string;
  childCount: number;
  timeToFillMs: number | null;
}

export interface OrderDetails extends Order {
  fills: Fill[];
  children: ChildOrder[];
  events: HistoryEvent[];
  /** Null before the order was routed. */
  executionQuality: OrderQuality | null;
}

/** GET /api/v1/me. */
export interface Me {
  subject: string;
  roles: string[];
  /** Entitled account ids, or `*` for every account. */
  accounts: string[];
  /** What the roles allow (each still on entitled accounts only): order:submit, order:cancel, risk:kill-switch… */
  actions: string[];
}

export const ALL_ACCOUNTS = '*';

export interface FieldError {
  field: string;
  message: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; fields?: FieldError[] };
}
