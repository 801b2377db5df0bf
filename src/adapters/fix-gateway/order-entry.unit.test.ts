import { describe, expect, it, vi } from 'vitest';
import { createOrder } from '../../domain/order/lifecycle.js';
import { FixMessage, fix44, type Field, type FixSession, type OutgoingFix } from '../../fix/index.js';
import type { SubmitResult } from '../../services/oms-ingest/order-ingest-service.js';
import { ClientSession } from './client-session.js';
import { OrderEntry, type OrderEntryDeps } from './order-entry.js';

const NOS: Field[] = [[11, 'C1'], [1, 'ACC-1'], [55, 'AAPL'], [54, '1'], [60, '20261203-10:00:00.000'], [38, '100'], [40, '1']];
const inbound = (msgType: string, body: Field[], possDup = false): FixMessage => new FixMessage([[8, 'FIX.4.4'], [35, msgType], [34, '7'], ...(possDup ? ([[43, 'Y']] as Field[]) : []), ...body]);
const stored = createOrder('O-9', { clientOrderId: 'C1', accountId: 'ACC-1', symbol: 'AAPL', side: 'BUY', orderType: 'MARKET', quantity: 100, limitPrice: null, timeInForce: 'DAY' }, new Date());

function setUp(submitResult: SubmitResult) {
  const sent: OutgoingFix[] = [];
  const session = { send: (m: OutgoingFix) => sent.push(m) } as unknown as FixSession;
  const deps = {
    ingest: { submit: vi.fn(async () => submitResult) },
    amendments: { requestCancel: vi.fn(), requestReplace: vi.fn() },
    orderStatus: vi.fn(async () => null),
    expect: vi.fn(() => () => undefined),
    tracked: () => undefined,
    adopt: vi.fn(async () => undefined),
    now: () => new Date('2026-12-03T10:00:00Z'),
  } satisfies OrderEntryDeps;
  const client = new ClientSession({ clientCompId: 'ALICE', gatewayCompId: 'OMS', accounts: ['ACC-1'] }, 'order-entry');
  const entry = new OrderEntry(deps);
  const fields = (i = 0) => new Map(sent[i]!.body.map(([t, v]) => [t, v]));
  return { sent, session, deps, client, entry, fields };
}

describe('order entry: FIX messages into the OMS services', () => {
  it('a resent order (43=Y) the account already holds becomes this session’s, reported from its state', async () => {
    const t = setUp({ kind: 'accepted', order: stored, created: false });
    await t.entry.handle(t.client, inbound('D', NOS, true), t.session);
    expect(t.deps.adopt).toHaveBeenCalledWith(t.client, 'O-9');
    expect(t.sent).toEqual([]);
  });

  it('the same ClOrdID sent again without 43=Y is rejected as a duplicate', async () => {
    const t = setUp({ kind: 'accepted', order: stored, created: false });
    await t.entry.handle(t.client, inbound('D', NOS), t.session);
    expect(t.deps.adopt).not.toHaveBeenCalled();
    expect(t.fields().get(103)).toBe(fix44.OrdRejReason.DuplicateOrder);
  });

  it('an account the session may not trade is rejected before the OMS sees the order', async () => {
    const t = setUp({ kind: 'accepted', order: stored, created: true });
    await t.entry.handle(t.client, inbound('D', NOS.map(([tag, v]): Field => [tag, tag === 1 ? 'ACC-2' : v])), t.session);
    expect(t.deps.ingest.submit).not.toHaveBeenCalled();
    expect(t.fields().get(103)).toBe('15');
  });

  it('the API validation’s refusal is a Rejected report naming the tag', async () => {
    const t = setUp({ kind: 'invalid', errors: [{ field: 'quantity', message: 'must be greater than 0' }] });
    await t.entry.handle(t.client, inbound('D', NOS), t.session);
    expect(t.fields().get(150)).toBe('8');
    expect(t.fields().get(58)).toBe('OrderQty (38): must be greater than 0');
  });

  it('a cancel of a ClOrdID this session never used is an OrderCancelReject, unknown order', async () => {
    const t = setUp({ kind: 'accepted', order: stored, created: true });
    await t.entry.handle(t.client, inbound('F', [[41, 'NOT-MINE'], [11, 'X1'], [55, 'AAPL'], [54, '1'], [60, '20261203-10:00:00.000']]), t.session);
    expect(t.deps.amendments.requestCancel).not.toHaveBeenCalled();
    expect(t.sent[0]!.msgType).toBe('9');
    expect(t.fields().get(102)).toBe('1');
  });

  it('does not hold the next order for the write of the one before, and a cancel waits for the order it names', async () => {
    const t = setUp({ kind: 'accepted', order: stored, created: true });
    const writes: ((result: SubmitResult) => void)[] = [];
    t.deps.ingest.submit.mockImplementation(() => new Promise<SubmitResult>((resolve) => writes.push(resolve)));
    t.deps.amendments.requestCancel.mockResolvedValue({ kind: 'accepted' });
    const first = t.entry.handle(t.client, inbound('D', NOS), t.session);
    const second = t.entry.handle(t.client, inbound('D', NOS.map(([tag, v]): Field => [tag, tag === 11 ? 'C2' : v])), t.session);
    // Both are being stored at once: the second did not wait for the first.
    expect(t.deps.ingest.submit).toHaveBeenCalledTimes(2);
    const cancel = t.entry.handle(t.client, inbound('F', [[41, 'C1'], [11, 'X1'], [55, 'AAPL'], [54, '1'], [60, '20261203-10:00:00.000']]), t.session);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(t.deps.amendments.requestCancel).not.toHaveBeenCalled();
    writes[0]!({ kind: 'accepted', order: stored, created: true });
    await first;
    await cancel;
    expect(t.deps.amendments.requestCancel).toHaveBeenCalledWith('O-9', expect.anything(), expect.any(Function));
    writes[1]!({ kind: 'accepted', order: { ...stored, orderId: 'O-10', clientOrderId: 'C2' }, created: true });
    await second;
    expect(t.client.orders.get('C2')).toBe('O-10');
    expect(t.client.inFlight.size).toBe(0);
    expect(t.sent).toEqual([]);
  });
});
