/** FIX 4.4 code values for the enums the OMS uses, both ways. Names match the OMS's own. */

function codec<Name extends string>(codes: Record<Name, string>) {
  const byCode = new Map(Object.entries(codes).map(([name, code]) => [code as string, name as Name]));
  return {
    encode: (name: Name): string => codes[name],
    decode: (code: string | undefined): Name | undefined => (code === undefined ? undefined : byCode.get(code)),
  };
}

export const Side = codec({ BUY: '1', SELL: '2', SELL_SHORT: '5' });
export type FixSide = 'BUY' | 'SELL' | 'SELL_SHORT';

export const OrdType = codec({ MARKET: '1', LIMIT: '2' });
export type FixOrdType = 'MARKET' | 'LIMIT';

export const TimeInForce = codec({ DAY: '0', GTC: '1', IOC: '3', FOK: '4' });
export type FixTimeInForce = 'DAY' | 'GTC' | 'IOC' | 'FOK';

export const ExecType = codec({
  NEW: '0',
  CANCELED: '4',
  REPLACED: '5',
  PENDING_CANCEL: '6',
  REJECTED: '8',
  PENDING_NEW: 'A',
  EXPIRED: 'C',
  RESTATED: 'D',
  PENDING_REPLACE: 'E',
  TRADE: 'F',
  ORDER_STATUS: 'I',
});
export type FixExecType =
  'NEW' | 'CANCELED' | 'REPLACED' | 'PENDING_CANCEL' | 'REJECTED' | 'PENDING_NEW' | 'EXPIRED' | 'RESTATED' | 'PENDING_REPLACE' | 'TRADE' | 'ORDER_STATUS';

export const OrdStatus = codec({
  NEW: '0',
  PARTIALLY_FILLED: '1',
  FILLED: '2',
  DONE_FOR_DAY: '3',
  CANCELED: '4',
  PENDING_CANCEL: '6',
  REJECTED: '8',
  PENDING_NEW: 'A',
  EXPIRED: 'C',
  PENDING_REPLACE: 'E',
});
export type FixOrdStatus =
  'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'DONE_FOR_DAY' | 'CANCELED' | 'PENDING_CANCEL' | 'REJECTED' | 'PENDING_NEW' | 'EXPIRED' | 'PENDING_REPLACE';

/** OrdRejReason (103) values used here. */
export const OrdRejReason = {
  BrokerOption: '0',
  Other: '99',
  UnknownSymbol: '1',
  ExceedsLimit: '3',
  UnknownOrder: '5',
  DuplicateOrder: '6',
  UnknownAccount: '15',
} as const;

/** CxlRejReason (102) values used here. */
/** ExecRestatementReason (378): why an order is restated (ExecType D) without a change. */
export const ExecRestatementReason = { GtRenewal: '1' } as const;
export const CxlRejReason = { TooLateToCancel: '0', UnknownOrder: '1', AlreadyPending: '3', DuplicateClOrdID: '6', Other: '99' } as const;

/** BusinessRejectReason (380) values used here. */
export const BusinessRejectReason = { Other: 0, UnsupportedMessageType: 3, ConditionallyRequiredFieldMissing: 5 } as const;
