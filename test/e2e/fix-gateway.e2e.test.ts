import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal } from '../../src/domain/money/price.js';
import { fixTimestamp, fix44, type OutgoingFix } from '../../src/fix/index.js';
import { getOrder, startTestSystem, waitForOrder, type OrderJson } from '../support/embedded.js';
import { isReport, TestFixClient } from '../support/fix-client.js';

/** The clients' FIX gateway over real TCP: two order-entry sessions and a drop copy, each on its own accounts. */
const ACC_A = 'ACC-FIX-A';
const ACC_B = 'ACC-FIX-B';

let system: Awaited<ReturnType<typeof startTestSystem>>;
let clientDir: string;
let alice: TestFixClient;
let bob: TestFixClient;
let riskDesk: TestFixClient;
let reference: bigint;

const priceAt = (percent: number): string => formatDecimal(((reference + (reference * BigInt(Math.round(percent * 100))) / 10_000n) / 1_000_000n) * 1_000_000n);
let sequence = 0;
const nextId = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${++sequence}`;

function order(clOrdId: string, fields: Partial<fix44.NewOrderSingle> = {}): OutgoingFix {
  return fix44.newOrderSingle({
    clOrdId,
    account: ACC_A,
    symbol: 'AAPL',
    side: 'BUY',
    orderQty: '100',
    ordType: 'MARKET',
    timeInForce: 'DAY',
    transactTime: new Date(),
    ...fields,
  });
}

async function ordersOf(accountId: string): Promise<OrderJson[]> {
  const response = await fetch(`${system.url}/api/v1/orders?accountId=${accountId}`);
  const json = (await response.json()) as { orders?: OrderJson[] } | OrderJson[];
  return Array.isArray(json) ? json : (json.orders ?? []);
}

const connect = async (sender: string, dir: string): Promise<TestFixClient> => {
  const client = new TestFixClient(system.fixGatewayPort!, sender, 'OMS', join(clientDir, dir));
  await client.start();
  return client;
};

beforeAll(async () => {
  system = await startTestSystem({
    OMS_VENUES: ['XNYS', 'XNAS', 'BATS', 'EDGX'].map((v) => `${v}=127.0.0.1:0:OMS:${v}`).join(','),
    FIX_GATEWAY_PORT: '0',
    FIX_GATEWAY_SESSIONS: `ALICE:OMS=${ACC_A},BOB:OMS=${ACC_B}`,
    FIX_GATEWAY_DROP_COPY_SESSIONS: `RISKDESK:OMS=${ACC_A}`,
  });
  clientDir = mkdtempSync(join(tmpdir(), 'oms-fix-client-'));
  const market = (await (await fetch(`${system.url}/api/v1/marketdata/AAPL`)).json()) as { referencePrice: string };
  reference = parseDecimal(market.referencePrice)!;
  alice = await connect('ALICE', 'alice');
  bob = await connect('BOB', 'bob');
  riskDesk = await connect('RISKDESK', 'risk-desk');
});

afterAll(async () => {
  await alice?.stop();
  await bob?.stop();
  await riskDesk?.stop();
  await system?.cleanUp();
  if (clientDir) rmSync(clientDir, { recursive: true, force: true });
});

describe('FIX order-entry gateway', () => {
  it('a MARKET order: New, then fills whose LastQty add up to CumQty, AvgPx as the OMS has it', async () => {
    const clOrdId = nextId('MKT');
    alice.send(order(clOrdId));
    const ack = await alice.waitFor(isReport(clOrdId, '0'));
    expect(ack.get(39)).toBe('0');
    expect(ack.get(1)).toBe(ACC_A);
    const filled = await alice.waitFor((m) => m.msgType === '8' && m.get(11) === clOrdId && m.get(39) === '2');
    expect(filled.get(150)).toBe('F');
    expect(filled.get(14)).toBe('100');
    expect(filled.get(151)).toBe('0');
    const trades = alice.about(clOrdId).filter((m) => m.get(150) === 'F');
    expect(trades.reduce((sum, m) => sum + Number(m.get(32)), 0)).toBe(100);
    // AvgPx from the fills' own prices: sum(LastQty x LastPx) / CumQty, and the OMS's average.
    const notional = trades.reduce((sum, m) => sum + BigInt(m.get(32)!) * parseDecimal(m.get(31)!)!, 0n);
    const stored = await getOrder(system.url, ack.get(37)!);
    expect(stored).toMatchObject({ clientOrderId: clOrdId, accountId: ACC_A, status: 'FILLED', filledQuantity: 100 });
    expect(filled.get(6)).toBe(stored.avgPrice);
    expect((notional * 2n + 100n) / 200n).toBe(parseDecimal(stored.avgPrice!)!);
    expect(filled.get(6)).toMatch(/^\d+(\.\d+)?$/);
  });

  it('cancels a resting LIMIT order: PendingCancel, then Canceled under the cancel ClOrdID with OrigClOrdID', async () => {
    const clOrdId = nextId('LMT');
    alice.send(order(clOrdId, { ordType: 'LIMIT', price: priceAt(-4), orderQty: '200' }));
    const ack = await alice.waitFor(isReport(clOrdId, '0'));
    await waitForOrder(system.url, ack.get(37)!, (o) => o.status === 'NEW' && (o.children ?? []).length > 0 && o.children!.every((c) => c.status === 'NEW'));
    const cancelId = nextId('CXL');
    alice.send(fix44.orderCancelRequest({ origClOrdId: clOrdId, clOrdId: cancelId, symbol: 'AAPL', side: 'BUY', orderQty: '200', transactTime: new Date() }));
    const canceled = await alice.waitFor(isReport(cancelId, '4'));
    expect(canceled.get(41)).toBe(clOrdId);
    expect(canceled.get(39)).toBe('4');
    expect(canceled.get(151)).toBe('0');
    expect(alice.about(cancelId).some((m) => m.get(150) === '6')).toBe(true);
    expect((await getOrder(system.url, ack.get(37)!)).status).toBe('CANCELED');
  });

  it('replaces a resting order (Replaced: 11 the new ClOrdID, 41 the old), then cancels it by the new ClOrdID', async () => {
    const first = nextId('RPL');
    alice.send(order(first, { ordType: 'LIMIT', price: priceAt(-4), orderQty: '300' }));
    const ack = await alice.waitFor(isReport(first, '0'));
    await waitForOrder(system.url, ack.get(37)!, (o) => o.status === 'NEW' && (o.children ?? []).length > 0 && o.children!.every((c) => c.status === 'NEW'));
    const second = nextId('RPL');
    alice.send(
      fix44.orderCancelReplaceRequest({
        origClOrdId: first,
        clOrdId: second,
        symbol: 'AAPL',
        side: 'BUY',
        orderQty: '120',
        ordType: 'LIMIT',
        price: priceAt(-3),
        timeInForce: 'DAY',
        transactTime: new Date(),
      }),
    );
    const replaced = await alice.waitFor(isReport(second, '5'));
    expect(replaced.get(41)).toBe(first);
    expect(replaced.get(38)).toBe('120');
    expect(replaced.get(44)).toBe(priceAt(-3));
    expect(alice.about(second).some((m) => m.get(150) === 'E')).toBe(true);
    // The old ClOrdID is no longer the order's: the chain goes on from the new one.
    const third = nextId('CXL');
    alice.send(fix44.orderCancelRequest({ origClOrdId: second, clOrdId: third, symbol: 'AAPL', side: 'BUY', orderQty: '120', transactTime: new Date() }));
    const canceled = await alice.waitFor(isReport(third, '4'));
    expect(canceled.get(41)).toBe(second);
    expect(canceled.get(37)).toBe(ack.get(37));
    const status = nextId('STATUS');
    alice.send({
      msgType: 'H',
      body: [
        [11, third],
        [55, 'AAPL'],
        [54, '1'],
        [790, status],
      ],
    });
    const answer = await alice.waitFor((m) => m.msgType === '8' && m.get(150) === 'I' && m.get(37) === ack.get(37));
    expect(answer.get(39)).toBe('4');
    // FIX 4.4: the answer echoes the request's OrdStatusReqID.
    expect(answer.get(790)).toBe(status);
  });

  it('a cancel may name its order by OrderID (37): used when 41 is unknown, refused when 37 and 41 name different orders', async () => {
    const resting = async (prefix: string): Promise<{ clOrdId: string; orderId: string }> => {
      const clOrdId = nextId(prefix);
      alice.send(order(clOrdId, { ordType: 'LIMIT', price: priceAt(-4) }));
      const orderId = (await alice.waitFor(isReport(clOrdId, '0'))).get(37)!;
      await waitForOrder(system.url, orderId, (o) => o.status === 'NEW' && (o.children ?? []).length > 0 && o.children!.every((c) => c.status === 'NEW'));
      return { clOrdId, orderId };
    };
    const one = await resting('BY37');
    const two = await resting('BY37');
    const cancel = (origClOrdId: string, orderId: string, clOrdId = nextId('CXL37')) => {
      alice.send(fix44.orderCancelRequest({ orderId, origClOrdId, clOrdId, symbol: 'AAPL', side: 'BUY', orderQty: '100', transactTime: new Date() }));
      return clOrdId;
    };
    const mismatch = cancel(one.clOrdId, two.orderId);
    const refused = await alice.waitFor((m) => m.msgType === '9' && m.get(11) === mismatch);
    expect(refused.get(102)).toBe('99');
    expect(refused.get(58)).toBe(
      `OrderID (37) ${two.orderId} and OrigClOrdID (41) ${one.clOrdId} name different orders (${one.clOrdId} is order ${one.orderId})`,
    );
    const unknown41 = nextId('LOST');
    const byOrderId = cancel(unknown41, two.orderId);
    const canceled = await alice.waitFor(isReport(byOrderId, '4'));
    expect(canceled.get(37)).toBe(two.orderId);
    expect(canceled.get(41)).toBe(unknown41);
    expect((await getOrder(system.url, two.orderId)).status).toBe('CANCELED');
    expect((await getOrder(system.url, one.orderId)).status).toBe('NEW');
  });

  it("an OrderID (37) of another session's order does not let a session cancel it", async () => {
    const mine = nextId('MINE37');
    alice.send(order(mine, { ordType: 'LIMIT', price: priceAt(-4) }));
    const orderId = (await alice.waitFor(isReport(mine, '0'))).get(37)!;
    for (const origClOrdId of [mine, nextId('LOST')]) {
      const steal = nextId('STEAL37');
      bob.send(fix44.orderCancelRequest({ orderId, origClOrdId, clOrdId: steal, symbol: 'AAPL', side: 'BUY', orderQty: '100', transactTime: new Date() }));
      const refused = await bob.waitFor((m) => m.msgType === '9' && m.get(11) === steal);
      expect(refused.get(102)).toBe('1');
      expect(refused.get(37)).toBe('NONE');
      expect(refused.get(58)).toBe(`OrderID (37): no order ${orderId} in this session`);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect((await getOrder(system.url, orderId)).status).toBe('NEW');
  });

  it('a replace asking a new Side, OrdType or TimeInForce is refused (OrderCancelReject 99 saying what cannot change); one restating them replaces', async () => {
    const clOrdId = nextId('TERMS');
    alice.send(order(clOrdId, { ordType: 'LIMIT', price: priceAt(-4), orderQty: '200' }));
    const orderId = (await alice.waitFor(isReport(clOrdId, '0'))).get(37)!;
    await waitForOrder(system.url, orderId, (o) => o.status === 'NEW' && (o.children ?? []).length > 0 && o.children!.every((c) => c.status === 'NEW'));
    const terms = {
      origClOrdId: clOrdId,
      symbol: 'AAPL',
      side: 'BUY',
      orderQty: '150',
      ordType: 'LIMIT',
      price: priceAt(-3),
      timeInForce: 'DAY',
      transactTime: new Date(),
    } as const;
    const asks: [Partial<fix44.OrderCancelReplaceRequest>, string][] = [
      [{ side: 'SELL' }, 'Side (54) cannot be changed by a replace (the order is BUY, the replace asks SELL)'],
      [
        { ordType: 'MARKET', price: undefined },
        'OrdType (40) cannot be changed: a replace changes quantity and limit price only (the order is LIMIT, the replace asks MARKET)',
      ],
      [{ timeInForce: 'GTC' }, 'TimeInForce (59) cannot be changed: a replace changes quantity and limit price only (the order is DAY, the replace asks GTC)'],
    ];
    for (const [change, text] of asks) {
      const replaceId = nextId('TERMS-R');
      alice.send(fix44.orderCancelReplaceRequest({ ...terms, clOrdId: replaceId, ...change }));
      const refused = await alice.waitFor((m) => m.msgType === '9' && m.get(11) === replaceId);
      expect(refused.get(434)).toBe('2');
      expect(refused.get(102)).toBe('99');
      expect(refused.get(37)).toBe(orderId);
      expect(refused.get(39)).toBe('0');
      expect(refused.get(58)).toBe(text);
    }
    expect(await getOrder(system.url, orderId)).toMatchObject({ status: 'NEW', quantity: 200, orderType: 'LIMIT', side: 'BUY', timeInForce: 'DAY' });
    const replaceId = nextId('TERMS-R');
    alice.send(fix44.orderCancelReplaceRequest({ ...terms, clOrdId: replaceId }));
    const replaced = await alice.waitFor(isReport(replaceId, '5'));
    expect(replaced.get(38)).toBe('150');
    expect(replaced.get(41)).toBe(clOrdId);
  });

  it('a message without Side gets a session Reject naming tag 54, and a quantity of 0 an ExecutionReport Rejected naming 38; nothing is stored', async () => {
    const noSide = nextId('BAD');
    const seq = alice.send({
      msgType: 'D',
      body: [
        [11, noSide],
        [1, ACC_A],
        [55, 'AAPL'],
        [60, fixTimestamp(new Date())],
        [38, '100'],
        [40, '1'],
      ],
    });
    const reject = await alice.waitFor((m) => m.msgType === '3' && m.get(45) === String(seq));
    expect(reject.get(371)).toBe('54');
    expect(reject.get(373)).toBe('1');
    const zero = nextId('BAD');
    alice.send(order(zero, { orderQty: '0' }));
    const refused = await alice.waitFor(isReport(zero, '8'));
    expect(refused.get(39)).toBe('8');
    expect(refused.get(37)).toBe('NONE');
    expect(refused.get(58)).toContain('OrderQty (38)');
    const stored = await ordersOf(ACC_A);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((o) => o.clientOrderId === noSide || o.clientOrderId === zero)).toBe(false);
  });

  it("a session cannot trade an account it is not entitled to, nor cancel another session's order", async () => {
    const foreign = nextId('FOREIGN');
    bob.send(order(foreign));
    const refused = await bob.waitFor(isReport(foreign, '8'));
    expect(refused.get(103)).toBe('15');
    expect(refused.get(58)).toContain('Account (1)');
    expect((await ordersOf(ACC_A)).some((o) => o.clientOrderId === foreign)).toBe(false);

    const mine = nextId('MINE');
    alice.send(order(mine, { ordType: 'LIMIT', price: priceAt(-4) }));
    const ack = await alice.waitFor(isReport(mine, '0'));
    const steal = nextId('STEAL');
    bob.send(fix44.orderCancelRequest({ origClOrdId: mine, clOrdId: steal, symbol: 'AAPL', side: 'BUY', orderQty: '100', transactTime: new Date() }));
    const cancelReject = await bob.waitFor((m) => m.msgType === '9' && m.get(11) === steal);
    expect(cancelReject.get(102)).toBe('1');
    expect(cancelReject.get(434)).toBe('1');
    await new Promise((r) => setTimeout(r, 200));
    expect((await getOrder(system.url, ack.get(37)!)).status).toBe('NEW');
  });

  it('a client away while its order fills gets the missed reports by resend, PossDupFlag=Y', async () => {
    const clOrdId = nextId('AWAY');
    alice.send(order(clOrdId, { ordType: 'LIMIT', price: priceAt(-4) }));
    const ack = await alice.waitFor(isReport(clOrdId, '0'));
    const orderId = ack.get(37)!;
    await waitForOrder(system.url, orderId, (o) => o.status === 'NEW' && (o.children ?? []).length > 0 && o.children!.every((c) => c.status === 'NEW'));
    await alice.stop();
    // While the client is away, the order is repriced through the API and fills.
    const patch = await fetch(`${system.url}/api/v1/orders/${orderId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ limitPrice: priceAt(3) }),
    });
    expect(patch.status).toBe(202);
    await waitForOrder(system.url, orderId, (o) => o.status === 'FILLED');
    alice = await connect('ALICE', 'alice');
    const missed = await alice.waitFor((m) => m.msgType === '8' && m.get(37) === orderId && m.get(39) === '2');
    expect(missed.get(43)).toBe('Y');
    expect(missed.get(122)).toBeDefined();
    expect(missed.get(14)).toBe('100');
  });
});

describe('FIX gateway in the metrics and the health report', () => {
  it('counts messages per session and MsgType, says which sessions are logged on, and shows in /actuator/health', async () => {
    const text = await (await fetch(`${system.url}/actuator/prometheus`)).text();
    expect(text).toMatch(/oms_fix_gateway_messages_total\{direction="in",session="ALICE",msg_type="D"\} [1-9]/);
    expect(text).toMatch(/oms_fix_gateway_messages_total\{direction="out",session="RISKDESK",msg_type="8"\} [1-9]/);
    expect(text).toMatch(/oms_fix_gateway_session_logged_on\{session="BOB",kind="order-entry"\} 1/);
    const health = (await (await fetch(`${system.url}/actuator/health`)).json()) as { components?: Record<string, { detail?: unknown }> };
    expect(JSON.stringify(health)).toContain('BOB: logged on');
  });
});

describe('FIX drop copy sessions', () => {
  const copiesOf = (orderId: string) => riskDesk.received.filter((m) => m.msgType === '8' && m.get(37) === orderId);

  it('get a copy (797=Y) of every ExecutionReport of their accounts, each once, and none of other accounts', async () => {
    const clOrdId = nextId('DC');
    alice.send(order(clOrdId, { orderQty: '300' }));
    const filled = await alice.waitFor((m) => m.msgType === '8' && m.get(11) === clOrdId && m.get(39) === '2');
    const orderId = filled.get(37)!;
    await riskDesk.waitFor((m) => m.msgType === '8' && m.get(37) === orderId && m.get(39) === '2');
    const sent = alice.about(clOrdId).filter((m) => m.msgType === '8');
    const copies = copiesOf(orderId);
    expect(copies.map((m) => m.get(17))).toEqual(sent.map((m) => m.get(17)));
    expect(copies.every((m) => m.get(797) === 'Y' && m.get(11) === clOrdId && m.get(1) === ACC_A)).toBe(true);
    expect(copies.filter((m) => m.get(150) === 'F').reduce((sum, m) => sum + Number(m.get(32)), 0)).toBe(300);

    // Bob's account is not the desk's.
    const other = nextId('DC-B');
    bob.send(order(other, { account: ACC_B }));
    const bobs = await bob.waitFor((m) => m.msgType === '8' && m.get(11) === other && m.get(39) === '2');
    await new Promise((r) => setTimeout(r, 300));
    expect(copiesOf(bobs.get(37)!)).toEqual([]);
  });

  it('copy orders of their accounts from the REST API too, under their clientOrderId', async () => {
    const clientOrderId = nextId('REST');
    const response = await fetch(`${system.url}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientOrderId, accountId: ACC_A, symbol: 'AAPL', side: 'SELL', orderType: 'MARKET', quantity: 50, timeInForce: 'DAY' }),
    });
    expect(response.status).toBe(201);
    const copy = await riskDesk.waitFor((m) => m.msgType === '8' && m.get(11) === clientOrderId && m.get(39) === '2');
    expect(copy.get(797)).toBe('Y');
    expect(copy.get(14)).toBe('50');
  });

  it('are read only: an order from one gets a BusinessMessageReject, and nothing is stored', async () => {
    const clOrdId = nextId('DC-RO');
    const seq = riskDesk.send(order(clOrdId));
    const reject = await riskDesk.waitFor((m) => m.msgType === 'j' && m.get(45) === String(seq));
    expect(reject.get(58)).toContain('read only');
    expect((await ordersOf(ACC_A)).some((o) => o.clientOrderId === clOrdId)).toBe(false);
  });

  it('a drop copy that was away gets the copies it missed by resend', async () => {
    await riskDesk.stop();
    const clOrdId = nextId('DC-AWAY');
    alice.send(order(clOrdId));
    const filled = await alice.waitFor((m) => m.msgType === '8' && m.get(11) === clOrdId && m.get(39) === '2');
    riskDesk = await connect('RISKDESK', 'risk-desk');
    const missed = await riskDesk.waitFor((m) => m.msgType === '8' && m.get(37) === filled.get(37) && m.get(39) === '2');
    expect(missed.get(797)).toBe('Y');
    expect(missed.get(43)).toBe('Y');
  });
});
