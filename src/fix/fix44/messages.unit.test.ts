import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../codec.js';
import { DataDictionary } from '../dictionary/data-dictionary.js';
import type { OutgoingFix } from '../message.js';
import * as fix44 from './index.js';

/** QuickFIX's FIX 4.4 dictionary: what a strict peer checks our messages against. */
const dictionary = DataDictionary.fromXml(
  readFileSync(join(resolve(process.env.QUICKFIX_AT_DIR ?? join(import.meta.dirname, '../../../../shared/conformance/quickfix-at')), 'FIX44.xml'), 'utf8'),
);

function onTheWire(message: OutgoingFix) {
  const bytes = encodeMessage(
    { msgType: message.msgType, senderCompId: 'OMS', targetCompId: 'XNYS', seqNum: 2, sendingTime: '20261125-10:00:00.000' },
    message.body,
  );
  const decoded = decodeMessage(bytes);
  return { decoded, violation: dictionary.validate(decoded) };
}

const transactTime = new Date('2026-11-25T10:00:00Z');

describe('FIX 4.4 application messages', () => {
  it('OrderCancelRequest: valid for a strict peer and read back as sent', () => {
    const request = { origClOrdId: 'C1', clOrdId: 'C1-X', symbol: 'AAPL', side: 'BUY' as const, orderQty: '100', transactTime };
    const { decoded, violation } = onTheWire(fix44.orderCancelRequest(request));
    expect(violation).toBeUndefined();
    expect(fix44.readOrderCancelRequest(decoded)).toMatchObject({
      ok: true,
      value: { origClOrdId: 'C1', clOrdId: 'C1-X', symbol: 'AAPL', side: 'BUY', orderQty: '100' },
    });
  });

  it('OrderCancelRequest naming the order by OrderID (37) too: valid, and read back with it', () => {
    const request = { orderId: 'O-9', origClOrdId: 'C1', clOrdId: 'C1-X', symbol: 'AAPL', side: 'BUY' as const, orderQty: '100', transactTime };
    const { decoded, violation } = onTheWire(fix44.orderCancelRequest(request));
    expect(violation).toBeUndefined();
    expect(decoded.get(37)).toBe('O-9');
    expect(fix44.readOrderCancelRequest(decoded)).toMatchObject({ ok: true, value: { orderId: 'O-9', origClOrdId: 'C1' } });
    expect(
      fix44.readOrderCancelReplaceRequest(onTheWire(fix44.orderCancelReplaceRequest({ ...request, ordType: 'MARKET', timeInForce: 'DAY' })).decoded),
    ).toMatchObject({ ok: true, value: { orderId: 'O-9' } });
  });

  it('OrderCancelReplaceRequest: new quantity and price, type and TIF restated', () => {
    const request = {
      origClOrdId: 'C1',
      clOrdId: 'C1-R',
      symbol: 'AAPL',
      side: 'SELL_SHORT' as const,
      orderQty: '250',
      transactTime,
      ordType: 'LIMIT' as const,
      price: '151.0125',
      timeInForce: 'GTC' as const,
    };
    const { decoded, violation } = onTheWire(fix44.orderCancelReplaceRequest(request));
    expect(violation).toBeUndefined();
    expect(decoded.get(40)).toBe('2');
    expect(fix44.readOrderCancelReplaceRequest(decoded)).toMatchObject({
      ok: true,
      value: { orderQty: '250', price: '151.0125', side: 'SELL_SHORT', timeInForce: 'GTC' },
    });
  });

  it('OrderCancelReject: answers a cancel or a replace, with the reason', () => {
    const reject = {
      orderId: 'V-9',
      clOrdId: 'C1-X',
      origClOrdId: 'C1',
      ordStatus: 'FILLED' as const,
      responseTo: 'CANCEL' as const,
      reason: '0',
      text: 'too late to cancel',
    };
    const { decoded, violation } = onTheWire(fix44.orderCancelReject(reject));
    expect(violation).toBeUndefined();
    expect(decoded.get(434)).toBe('1');
    expect(fix44.readOrderCancelReject(decoded)).toEqual({ ok: true, value: reject });
  });

  it('BusinessMessageReject: names the refused message', () => {
    const reject = { refSeqNum: 7, refMsgType: 'D', refId: 'C1', reason: fix44.BusinessRejectReason.UnsupportedMessageType, text: 'Unsupported Message Type' };
    const { decoded, violation } = onTheWire(fix44.businessMessageReject(reject));
    expect(violation).toBeUndefined();
    expect(fix44.readBusinessMessageReject(decoded)).toEqual({ ok: true, value: reject });
  });

  it('NewOrderSingle and ExecutionReport pass the dictionary too', () => {
    const order = fix44.newOrderSingle({
      clOrdId: 'C1',
      account: 'ACC-1',
      symbol: 'AAPL',
      side: 'BUY',
      orderQty: '100',
      ordType: 'LIMIT',
      price: '150.25',
      timeInForce: 'DAY',
      transactTime,
    });
    expect(onTheWire(order).violation).toBeUndefined();
    const report = fix44.executionReport({
      orderId: 'V1',
      clOrdId: 'C1',
      execId: 'E1',
      execType: 'TRADE',
      ordStatus: 'PARTIALLY_FILLED',
      symbol: 'AAPL',
      side: 'BUY',
      lastQty: '40',
      lastPx: '150.25',
      leavesQty: '60',
      cumQty: '40',
      avgPx: '150.25',
      transactTime,
    });
    expect(onTheWire(report).violation).toBeUndefined();
  });

  it('NewOrderSingle as an Intermarket Sweep Order: ExecInst (18) f on the wire, and read back', () => {
    const sweep = onTheWire(
      fix44.newOrderSingle({
        clOrdId: 'C2',
        symbol: 'AAPL',
        side: 'BUY',
        orderQty: '100',
        ordType: 'LIMIT',
        price: '150.26',
        timeInForce: 'IOC',
        transactTime,
        execInst: fix44.INTERMARKET_SWEEP,
      }),
    );
    // 'f' came after FIX 4.4 (US venues take it on 4.2 and 4.4): QuickFIX's stock 4.4 dictionary
    // knows ExecInst up to 'e', and that value is all it finds to say.
    expect(sweep.violation).toEqual({ tag: 18, reason: 5 });
    expect(sweep.decoded.get(18)).toBe('f');
    expect(fix44.readNewOrderSingle(sweep.decoded)).toMatchObject({ ok: true, value: { clOrdId: 'C2', execInst: 'f' } });
    const plain = onTheWire(
      fix44.newOrderSingle({
        clOrdId: 'C3',
        symbol: 'AAPL',
        side: 'BUY',
        orderQty: '100',
        ordType: 'LIMIT',
        price: '150.26',
        timeInForce: 'IOC',
        transactTime,
      }),
    );
    expect(plain.decoded.get(18)).toBeUndefined();
  });

  it('OrderStatusRequest and its answer: OrdStatusReqID (790) sent, echoed in the ExecutionReport and read back', () => {
    const request = onTheWire(fix44.orderStatusRequest({ clOrdId: 'C1', symbol: 'AAPL', side: 'BUY', ordStatusReqId: 'Q-7' }));
    expect(request.violation).toBeUndefined();
    expect(request.decoded.get(790)).toBe('Q-7');
    const report = fix44.executionReport({
      orderId: 'O1',
      clOrdId: 'C1',
      ordStatusReqId: 'Q-7',
      execId: 'S1',
      execType: 'ORDER_STATUS',
      ordStatus: 'NEW',
      symbol: 'AAPL',
      side: 'BUY',
      leavesQty: '100',
      cumQty: '0',
      avgPx: '0',
      transactTime,
    });
    const { decoded, violation } = onTheWire(report);
    expect(violation).toBeUndefined();
    expect(decoded.get(790)).toBe('Q-7');
    expect(fix44.readExecutionReport(decoded)).toMatchObject({ ok: true, value: { execType: 'ORDER_STATUS', ordStatusReqId: 'Q-7' } });
    expect(onTheWire(fix44.orderStatusRequest({ clOrdId: 'C1', symbol: 'AAPL', side: 'BUY' })).decoded.get(790)).toBeUndefined();
  });

  it('a refused order never stored: Rejected with OrderID NONE, echoing ClOrdID, Symbol and Side; NONE for a Symbol it lacked', () => {
    const { decoded: order } = onTheWire({
      msgType: 'D',
      body: [
        [11, 'C1'],
        [55, 'AAPL'],
        [54, '2'],
        [60, '20261125-10:00:00.000'],
        [38, '5'],
        [40, '1'],
      ],
    });
    const refused = fix44.notStoredReject(order, { ordRejReason: fix44.OrdRejReason.Other, text: 'no', at: transactTime });
    expect(refused).toEqual({
      orderId: 'NONE',
      clOrdId: 'C1',
      execId: `R-C1-2-${transactTime.getTime()}`,
      execType: 'REJECTED',
      ordStatus: 'REJECTED',
      ordRejReason: '99',
      symbol: 'AAPL',
      side: 'SELL',
      leavesQty: '0',
      cumQty: '0',
      avgPx: '0',
      text: 'no',
      transactTime,
    });
    expect(onTheWire(fix44.executionReport(refused)).violation).toBeUndefined();

    const { decoded: status } = onTheWire({
      msgType: 'H',
      body: [
        [11, 'C9'],
        [54, '1'],
      ],
    });
    const unknown = fix44.notStoredReject(status, {
      execType: 'ORDER_STATUS',
      ordRejReason: fix44.OrdRejReason.UnknownOrder,
      text: 'unknown order',
      at: transactTime,
    });
    expect(unknown).toMatchObject({ orderId: 'NONE', clOrdId: 'C9', execType: 'ORDER_STATUS', ordStatus: 'REJECTED', symbol: fix44.NOT_STORED, side: 'BUY' });
    expect(fix44.NOT_STORED).toBe('NONE');
    const { decoded, violation } = onTheWire(fix44.executionReport(unknown));
    expect(violation).toBeUndefined();
    expect(decoded.get(55)).toBe('NONE');
  });

  it('refuses a cancel/replace without a valid OrdType, naming the tag', () => {
    const { decoded } = onTheWire({
      msgType: 'G',
      body: [
        [41, 'C1'],
        [11, 'C2'],
        [55, 'AAPL'],
        [54, '1'],
        [60, '20261125-10:00:00.000'],
        [38, '5'],
        [40, 'Z'],
      ],
    });
    expect(fix44.readOrderCancelReplaceRequest(decoded)).toMatchObject({ ok: false, tag: 40 });
  });
});
