import { describe, expect, it } from 'vitest';
import { validateNewOrder } from '../../domain/order/validation.js';
import { FixMessage, SessionRejectReason, type Field } from '../../fix/index.js';
import { fieldErrorsText, newOrderBody, ordRejReasonFor, replaceBody, unchangeableTerms } from './translate.js';

const message = (msgType: string, body: Field[]): FixMessage => new FixMessage([[8, 'FIX.4.4'], [35, msgType], [34, '2'], ...body]);
const NOS: Field[] = [
  [11, 'C1'],
  [1, 'ACC-1'],
  [55, 'AAPL'],
  [54, '1'],
  [60, '20261203-10:00:00.000'],
  [38, '100'],
  [40, '2'],
  [44, '150.25'],
  [59, '1'],
];

describe('FIX messages as the API commands', () => {
  it('NewOrderSingle becomes POST /api/v1/orders’ body, which the API validation accepts', () => {
    const translated = newOrderBody(message('D', NOS), undefined);
    expect(translated).toEqual({
      ok: true,
      value: {
        clientOrderId: 'C1',
        accountId: 'ACC-1',
        symbol: 'AAPL',
        side: 'BUY',
        orderType: 'LIMIT',
        quantity: 100,
        limitPrice: '150.25',
        timeInForce: 'GTC',
      },
    });
    expect(translated.ok && validateNewOrder(translated.value).ok).toBe(true);
  });

  it('a missing required tag is a session Reject naming it', () => {
    const withoutSide = NOS.filter(([tag]) => tag !== 54);
    expect(newOrderBody(message('D', withoutSide), undefined)).toMatchObject({
      ok: false,
      refusal: { tag: 54, reason: SessionRejectReason.RequiredTagMissing },
    });
  });

  it('bad values pass through, so the API validation names them by tag', () => {
    const body = newOrderBody(
      message(
        'D',
        NOS.map(([tag, value]): Field => [tag, tag === 38 ? '0' : tag === 54 ? '9' : value]),
      ),
      undefined,
    );
    expect(body.ok).toBe(true);
    const validated = validateNewOrder(body.ok ? body.value : {});
    expect(validated.ok).toBe(false);
    const text = validated.ok ? '' : fieldErrorsText(validated.errors);
    expect(text).toContain('OrderQty (38): must be greater than 0');
    expect(text).toContain('Side (54)');
  });

  it('Account (1) defaults to the session’s only account', () => {
    const body = newOrderBody(
      message(
        'D',
        NOS.filter(([tag]) => tag !== 1),
      ),
      'ACC-ONLY',
    );
    expect(body.ok && body.value.accountId).toBe('ACC-ONLY');
  });

  it('a replace carries the new quantity and price only', () => {
    const replace = message('G', [
      [41, 'C1'],
      [11, 'C2'],
      [55, 'AAPL'],
      [54, '1'],
      [60, '20261203-10:00:00.000'],
      [38, '50'],
      [40, '2'],
      [44, '151'],
    ]);
    expect(replaceBody(replace)).toEqual({ ok: true, value: { quantity: 50, limitPrice: '151' } });
    expect(replaceBody(message('G', [[11, 'C2']]))).toMatchObject({ ok: false, refusal: { tag: 41 } });
  });

  it('pre-trade risk codes map to OrdRejReason', () => {
    expect(ordRejReasonFor('MAX_NOTIONAL: too big')).toBe('3');
    expect(ordRejReasonFor('DUPLICATE_ORDER: again')).toBe('6');
    expect(ordRejReasonFor('UNKNOWN_ACCOUNT: who')).toBe('15');
    expect(ordRejReasonFor('VENUE_OR_ROUTE: no venue')).toBe('99');
  });

  it('a replace restating Side, OrdType and TimeInForce passes; a new one is named with what the order has', () => {
    const order = { side: 'BUY', orderType: 'LIMIT', timeInForce: 'GTC' } as const;
    const replace = (fields: Field[]) =>
      message('G', [[41, 'C1'], [11, 'C2'], [55, 'AAPL'], [60, '20261203-10:00:00.000'], [38, '50'], [44, '150.25'], ...fields]);
    expect(
      unchangeableTerms(
        replace([
          [54, '1'],
          [40, '2'],
          [59, '1'],
        ]),
        order,
      ),
    ).toBeUndefined();
    // No TimeInForce on the replace: the order's stays.
    expect(
      unchangeableTerms(
        replace([
          [54, '1'],
          [40, '2'],
        ]),
        order,
      ),
    ).toBeUndefined();
    expect(
      unchangeableTerms(
        replace([
          [54, '2'],
          [40, '2'],
          [59, '1'],
        ]),
        order,
      ),
    ).toBe('Side (54) cannot be changed by a replace (the order is BUY, the replace asks SELL)');
    expect(
      unchangeableTerms(
        replace([
          [54, '1'],
          [40, '1'],
          [59, '1'],
        ]),
        order,
      ),
    ).toBe('OrdType (40) cannot be changed: a replace changes quantity and limit price only (the order is LIMIT, the replace asks MARKET)');
    expect(
      unchangeableTerms(
        replace([
          [54, '1'],
          [40, '2'],
          [59, '0'],
        ]),
        order,
      ),
    ).toContain('TimeInForce (59) cannot be changed');
    // Codes the OMS does not know are named as sent; every change is listed.
    const both = unchangeableTerms(
      replace([
        [54, '9'],
        [40, 'P'],
        [59, '1'],
      ]),
      order,
    );
    expect(both).toContain('Side (54) cannot be changed by a replace (the order is BUY, the replace asks 9)');
    expect(both).toContain('OrdType (40) cannot be changed: a replace changes quantity and limit price only (the order is LIMIT, the replace asks P)');
  });
});
