import type { RiskLimits } from '../api/risk-client.js';

export type LimitName = keyof RiskLimits;

/** Every pre-trade limit, in the order the table shows them, with its header. */
export const LIMIT_COLUMNS: readonly { name: LimitName; header: string }[] = [
  { name: 'maxOrderQuantity', header: 'Max order qty' },
  { name: 'maxOrderNotional', header: 'Max order notional' },
  { name: 'priceCollarBps', header: 'Price collar (bps)' },
  { name: 'creditLimit', header: 'Credit limit' },
  { name: 'maxPosition', header: 'Max position' },
  { name: 'maxOrdersPerSecond', header: 'Orders/s' },
  { name: 'duplicateWindowMs', header: 'Duplicate window (ms)' },
  { name: 'restrictedSymbols', header: 'Restricted symbols' },
];
