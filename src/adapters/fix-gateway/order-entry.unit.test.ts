import { describe, expect, it, vi } from 'vitest';
import { createOrder } from '../../domain/order/lifecycle.js';
import { FixMessage, fix44, type Field, type FixSession, type MessageStore, type OutgoingFix } from '../../fix/index.js';
import type { SubmitResult } from '../../ports/order-entry.js';
import { ClientSession } from './client-session.js';
import { dayScopedClientOrderId, OrderEntry, type OrderEntryDeps } from './order-entry.js';

const NOS: Field[] = [
  [11, 'C1'],
  [1, 'ACC-1'],
  [55, 'AAPL'],
  [54, '1'],
  [60, '20261203-10:00:00.000'],
  [38, '100'],
  [40, '1'],
];
const inbound = (msgType: string, body: Field[], possDup = false): FixMessage =>
  new FixMessage([[8, 'FIX.4.4'], [35, msgType], [34, '7'], ...(possDup ? ([[43, 'Y']] as Field[]) : []), ...body]);
const stored = createOrder(
  'O-9',
  { clientOrderId: 'C1', accountId: 'ACC-1', symbol: 'AAPL', side: 'BUY', orderType: 'MARKET', quantity: 100, limitPrice: null, timeInForce: 'DAY' },
  new Date(),
);

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
    renewSeries: vi.fn((client: ClientSession) => void client.enterSeries(() => true)),
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
    expect(t.deps.adopt).toHaveBeenCalledWith(t.client, 'O-9', 'C1');
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
    await t.entry.handle(
      t.client,
      inbound(
        'D',
        NOS.map(([tag, v]): Field => [tag, tag === 1 ? 'ACC-2' : v]),
      ),
      t.session,
    );
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
    await t.entry.handle(
      t.client,
      inbound('F', [
        [41, 'NOT-MINE'],
        [11, 'X1'],
        [55, 'AAPL'],
        [54, '1'],
        [60, '20261203-10:00:00.000'],
      ]),
      t.session,
    );
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
    const second = t.entry.handle(
      t.client,
      inbound(
        'D',
        NOS.map(([tag, v]): Field => [tag, tag === 11 ? 'C2' : v]),
      ),
      t.session,
    );
    // Both are being stored at once: the second did not wait for the first.
    expect(t.deps.ingest.submit).toHaveBeenCalledTimes(2);
    const cancel = t.entry.handle(
      t.client,
      inbound('F', [
        [41, 'C1'],
        [11, 'X1'],
        [55, 'AAPL'],
        [54, '1'],
        [60, '20261203-10:00:00.000'],
      ]),
      t.session,
    );
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

  describe('which order a cancel or replace names: OrigClOrdID (41) and OrderID (37)', () => {
    const CXL = (fields: Field[]): FixMessage => inbound('F', [[11, 'X1'], [55, 'AAPL'], [54, '1'], [60, '20261203-10:00:00.000'], ...fields]);
    const mine = () => {
      const t = setUp({ kind: 'accepted', order: stored, created: true });
      t.client.orders.set('C1', 'O-9');
      t.client.orders.set('C2', 'O-10');
      t.deps.amendments.requestCancel.mockResolvedValue({ kind: 'accepted' });
      return t;
    };

    it('an OrigClOrdID the session does not know, with an OrderID of its own: that order is canceled', async () => {
      const t = mine();
      await t.entry.handle(
        t.client,
        CXL([
          [41, 'LOST'],
          [37, 'O-10'],
        ]),
        t.session,
      );
      expect(t.deps.amendments.requestCancel).toHaveBeenCalledWith('O-10', expect.anything(), expect.any(Function));
      expect(t.sent).toEqual([]);
      expect(t.client.orders.get('X1')).toBe('O-10');
    });

    it('41 and 37 agreeing is the order; naming different orders of the session is refused, naming both', async () => {
      const agree = mine();
      await agree.entry.handle(
        agree.client,
        CXL([
          [41, 'C1'],
          [37, 'O-9'],
        ]),
        agree.session,
      );
      expect(agree.deps.amendments.requestCancel).toHaveBeenCalledWith('O-9', expect.anything(), expect.any(Function));
      const t = mine();
      await t.entry.handle(
        t.client,
        CXL([
          [41, 'C1'],
          [37, 'O-10'],
        ]),
        t.session,
      );
      expect(t.deps.amendments.requestCancel).not.toHaveBeenCalled();
      expect(t.sent[0]!.msgType).toBe('9');
      expect(t.fields().get(102)).toBe(fix44.CxlRejReason.Other);
      expect(t.fields().get(58)).toBe('OrderID (37) O-10 and OrigClOrdID (41) C1 name different orders (C1 is order O-9)');
    });

    it('an OrderID that is not one of the session’s (another session’s, another account’s) is an unknown order, whatever 41 says', async () => {
      for (const origClOrdId of ['C1', 'LOST']) {
        const t = mine();
        await t.entry.handle(
          t.client,
          CXL([
            [41, origClOrdId],
            [37, 'O-OTHER'],
          ]),
          t.session,
        );
        expect(t.deps.amendments.requestCancel).not.toHaveBeenCalled();
        expect(t.fields().get(102)).toBe(fix44.CxlRejReason.UnknownOrder);
        expect(t.fields().get(37)).toBe('NONE');
        expect(t.fields().get(58)).toBe('OrderID (37): no order O-OTHER in this session');
      }
    });
  });

  describe('a replace changes quantity and limit price only', () => {
    const resting = { ...stored, orderType: 'LIMIT' as const, limitPrice: '150', timeInForce: 'GTC' as const, status: 'NEW' as const, orderId: 'O-9' };
    const RPL = (fields: Field[]): FixMessage =>
      inbound('G', [[41, 'C1'], [11, 'R1'], [55, 'AAPL'], [60, '20261203-10:00:00.000'], [38, '80'], [44, '151'], ...fields]);
    const replacing = () => {
      const t = setUp({ kind: 'accepted', order: stored, created: true });
      t.client.orders.set('C1', 'O-9');
      t.deps.orderStatus.mockResolvedValue(resting as never);
      t.deps.amendments.requestReplace.mockResolvedValue({ kind: 'accepted' });
      return t;
    };

    it('restating Side, OrdType and TimeInForce: the OMS gets the new quantity and price', async () => {
      const t = replacing();
      await t.entry.handle(
        t.client,
        RPL([
          [54, '1'],
          [40, '2'],
          [59, '1'],
        ]),
        t.session,
      );
      expect(t.deps.amendments.requestReplace).toHaveBeenCalledWith('O-9', { quantity: 80, limitPrice: '151' }, expect.anything(), expect.any(Function));
      expect(t.sent).toEqual([]);
    });

    it('a new Side, OrdType or TimeInForce is an OrderCancelReject (99) saying what cannot change, and the OMS sees nothing', async () => {
      const cases: [Field[], string][] = [
        [
          [
            [54, '2'],
            [40, '2'],
            [59, '1'],
          ],
          'Side (54) cannot be changed by a replace (the order is BUY, the replace asks SELL)',
        ],
        [
          [
            [54, '1'],
            [40, '1'],
            [59, '1'],
          ],
          'OrdType (40) cannot be changed',
        ],
        [
          [
            [54, '1'],
            [40, '2'],
            [59, '3'],
          ],
          'TimeInForce (59) cannot be changed',
        ],
      ];
      for (const [fields, text] of cases) {
        const t = replacing();
        await t.entry.handle(t.client, RPL(fields), t.session);
        expect(t.deps.amendments.requestReplace).not.toHaveBeenCalled();
        expect(t.sent[0]!.msgType).toBe('9');
        expect(t.fields().get(102)).toBe(fix44.CxlRejReason.Other);
        expect(t.fields().get(434)).toBe('2');
        expect(t.fields().get(37)).toBe('O-9');
        expect(t.fields().get(39)).toBe('0');
        expect(t.fields().get(58)).toContain(text);
        expect(t.client.used('R1')).toBe(false);
      }
    });
  });

  it('a status request’s OrdStatusReqID (790) is echoed in its answer, for a known order and an unknown one', async () => {
    const t = setUp({ kind: 'accepted', order: stored, created: true });
    t.client.orders.set('C1', 'O-9');
    t.deps.orderStatus.mockResolvedValue({ ...stored, orderId: 'O-9', status: 'NEW' } as never);
    await t.entry.handle(
      t.client,
      inbound('H', [
        [11, 'C1'],
        [790, 'Q-1'],
        [55, 'AAPL'],
        [54, '1'],
      ]),
      t.session,
    );
    await t.entry.handle(
      t.client,
      inbound('H', [
        [11, 'NOPE'],
        [790, 'Q-2'],
        [55, 'AAPL'],
        [54, '1'],
      ]),
      t.session,
    );
    await t.entry.handle(
      t.client,
      inbound('H', [
        [11, 'C1'],
        [55, 'AAPL'],
        [54, '1'],
      ]),
      t.session,
    );
    expect([0, 1, 2].map((i) => [t.fields(i).get(150), t.fields(i).get(37), t.fields(i).get(790)])).toEqual([
      ['I', 'O-9', 'Q-1'],
      ['I', 'NONE', 'Q-2'],
      ['I', 'O-9', undefined],
    ]);
  });

  describe('ClOrdIDs are unique per session and FIX day (sequence series)', () => {
    const TODAY = new Date('2026-12-04T00:00:00Z');
    /** A client whose session's current series began at `seriesStart` (its store's creation time). */
    const onDay = (t: ReturnType<typeof setUp>, seriesStart: { at: Date }) => {
      const store = { creationTime: () => seriesStart.at } as unknown as MessageStore;
      return { ...t, client: new ClientSession(t.client.config, 'order-entry', store) };
    };
    const yesterdays = { ...stored, createdAt: new Date('2026-12-03T15:00:00Z') };

    it('a ClOrdID the account holds from an earlier day is stored under the day-scoped clientOrderId, and stays the client’s ClOrdID', async () => {
      const t = onDay(setUp({ kind: 'accepted', order: yesterdays, created: false }), { at: TODAY });
      const todays = { ...stored, orderId: 'O-20', clientOrderId: 'C1:20261204-000000.000', createdAt: new Date('2026-12-04T10:00:00Z') };
      t.deps.ingest.submit
        .mockResolvedValueOnce({ kind: 'accepted', order: yesterdays, created: false })
        .mockResolvedValueOnce({ kind: 'accepted', order: todays, created: true });
      await t.entry.handle(t.client, inbound('D', NOS), t.session);
      expect((t.deps.ingest.submit.mock.calls as unknown as [{ clientOrderId: string }][]).map(([body]) => body.clientOrderId)).toEqual([
        'C1',
        'C1:20261204-000000.000',
      ]);
      expect(t.deps.expect).toHaveBeenLastCalledWith(t.client, 'ACC-1', 'C1:20261204-000000.000', 'C1');
      expect(t.client.orders.get('C1')).toBe('O-20');
      expect(t.sent).toEqual([]);
    });

    it('the same ClOrdID again the same day is a duplicate: rejected, or the order’s state for a resend (43=Y) after a crash', async () => {
      const todays = { ...stored, orderId: 'O-20', clientOrderId: 'C1:20261204-000000.000', createdAt: new Date('2026-12-04T10:00:00Z') };
      for (const possDup of [false, true]) {
        const t = onDay(setUp({ kind: 'accepted', order: yesterdays, created: false }), { at: TODAY });
        t.deps.ingest.submit
          .mockResolvedValueOnce({ kind: 'accepted', order: yesterdays, created: false })
          .mockResolvedValueOnce({ kind: 'accepted', order: todays, created: false });
        await t.entry.handle(t.client, inbound('D', NOS, possDup), t.session);
        if (possDup) expect(t.deps.adopt).toHaveBeenCalledWith(t.client, 'O-20', 'C1');
        else
          expect([t.fields().get(150), t.fields().get(103), t.fields().get(58)]).toEqual([
            '8',
            '6',
            'ClOrdID (11): account ACC-1 holds an order with ClOrdID C1 already',
          ]);
      }
    });

    it('a new series forgets the ClOrdIDs of orders that ended, and keeps those of working orders', async () => {
      const series = { at: new Date('2026-12-03T00:00:00Z') };
      const t = onDay(setUp({ kind: 'accepted', order: { ...stored, orderId: 'O-30' }, created: true }), series);
      const working = new Set(['O-2']);
      const entry = new OrderEntry({ ...t.deps, renewSeries: (client) => void client.enterSeries((orderId) => working.has(orderId)) });
      t.client.enterSeries(() => true);
      t.client.orders.set('C1', 'O-1');
      t.client.orders.set('W1', 'O-2');
      series.at = TODAY;
      await entry.handle(
        t.client,
        inbound(
          'D',
          NOS.map(([tag, v]): Field => [tag, tag === 11 ? 'W1' : v]),
        ),
        t.session,
      );
      expect([t.fields().get(103), t.fields().get(58)]).toEqual(['6', 'ClOrdID (11): W1 was used by this session already']);
      expect(t.client.orders.hasOrder('O-1')).toBe(false);
      await entry.handle(t.client, inbound('D', NOS), t.session);
      expect(t.deps.ingest.submit).toHaveBeenCalledTimes(1);
      expect(t.client.orders.get('C1')).toBe('O-30');
    });

    it('a ClOrdID too long to carry the day is refused, saying how long it may be', async () => {
      const long = 'L'.repeat(50);
      const t = onDay(setUp({ kind: 'accepted', order: { ...yesterdays, clientOrderId: long }, created: false }), { at: TODAY });
      await t.entry.handle(
        t.client,
        inbound(
          'D',
          NOS.map(([tag, v]): Field => [tag, tag === 11 ? long : v]),
        ),
        t.session,
      );
      expect(t.deps.ingest.submit).toHaveBeenCalledTimes(1);
      expect([t.fields().get(103), t.fields().get(58)]).toEqual([
        '6',
        `ClOrdID (11): ${long} was used on an earlier day; to use it again it may have at most 44 characters`,
      ]);
    });

    it('the day-scoped clientOrderId: the ClOrdID, then the series start in UTC to the millisecond', () => {
      expect(dayScopedClientOrderId('ORD-7', new Date('2026-12-04T21:30:05.042Z'))).toBe('ORD-7:20261204-213005.042');
    });
  });

  it('a status request names its order by OrderID (37) when its ClOrdID is not known here, if the order is the session’s', async () => {
    const t = setUp({ kind: 'accepted', order: stored, created: true });
    t.client.orders.set('C1', 'O-9');
    t.deps.orderStatus.mockResolvedValue({ ...stored, orderId: 'O-9', status: 'FILLED' } as never);
    await t.entry.handle(
      t.client,
      inbound('H', [
        [11, 'FORGOTTEN'],
        [37, 'O-9'],
        [55, 'AAPL'],
        [54, '1'],
      ]),
      t.session,
    );
    await t.entry.handle(
      t.client,
      inbound('H', [
        [11, 'FORGOTTEN'],
        [37, 'O-OTHER'],
        [55, 'AAPL'],
        [54, '1'],
      ]),
      t.session,
    );
    expect([0, 1].map((i) => [t.fields(i).get(37), t.fields(i).get(11), t.fields(i).get(39)])).toEqual([
      ['O-9', 'FORGOTTEN', '2'],
      ['NONE', 'FORGOTTEN', '8'],
    ]);
  });
});
