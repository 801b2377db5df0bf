import { afterEach, describe, expect, it } from 'vitest';
import { fix44, FixAcceptor, FixInitiator, MemoryStore, type FixApplication } from './index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('FIX over loopback TCP', () => {
  it('logs on, sends NewOrderSingle, and receives ExecutionReports; a lost connection comes back', async () => {
    const venueApp: FixApplication = {
      fromApp: (message, session) => {
        const order = fix44.readNewOrderSingle(message);
        if (!order.ok) return;
        session.send(
          fix44.executionReport({
            orderId: 'V1',
            clOrdId: order.value.clOrdId,
            execId: `E-${order.value.clOrdId}`,
            execType: 'TRADE',
            ordStatus: 'FILLED',
            symbol: order.value.symbol,
            side: order.value.side,
            lastQty: order.value.orderQty,
            lastPx: order.value.price!,
            leavesQty: '0',
            cumQty: order.value.orderQty,
            avgPx: order.value.price!,
            transactTime: new Date(),
          }),
        );
      },
    };
    const acceptor = new FixAcceptor({ port: 0, sessions: [{ senderCompId: 'XNYS', targetCompId: 'OMS', store: new MemoryStore() }] }, venueApp);
    await acceptor.start();
    closers.push(() => acceptor.stop());

    const reports: fix44.ExecutionReport[] = [];
    const initiator = new FixInitiator(
      { host: '127.0.0.1', port: acceptor.port, senderCompId: 'OMS', targetCompId: 'XNYS', heartBtIntSeconds: 5, store: new MemoryStore(), reconnectMs: 50 },
      {
        fromApp: (m) => {
          const r = fix44.readExecutionReport(m);
          if (r.ok) reports.push(r.value);
        },
      },
    );
    await initiator.start();
    closers.push(() => initiator.stop());
    await initiator.session.loggedOn();

    initiator.session.send(
      fix44.newOrderSingle({
        clOrdId: 'C1',
        symbol: 'AAPL',
        side: 'BUY',
        orderQty: '100',
        ordType: 'LIMIT',
        price: '150.25',
        timeInForce: 'DAY',
        transactTime: new Date(),
      }),
    );
    await until(() => reports.length === 1);
    expect(reports[0]).toMatchObject({ clOrdId: 'C1', execType: 'TRADE', lastQty: '100', lastPx: '150.25', leavesQty: '0' });

    // Drop the venue side's socket: the initiator reconnects, logs on again and keeps its numbers.
    acceptor.session('XNYS', 'OMS')!.logout('test restart');
    await until(() => !initiator.session.isLoggedOn);
    await until(() => initiator.session.isLoggedOn);
    initiator.session.send(
      fix44.newOrderSingle({
        clOrdId: 'C2',
        symbol: 'AAPL',
        side: 'SELL',
        orderQty: '5',
        ordType: 'LIMIT',
        price: '1.5',
        timeInForce: 'IOC',
        transactTime: new Date(),
      }),
    );
    await until(() => reports.length === 2);
    expect(reports[1]).toMatchObject({ clOrdId: 'C2', side: 'SELL' });
    expect(initiator.session.nextSenderSeqNum).toBeGreaterThan(4);
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
