import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOrder, startTestSystem, waitForOrder, isFinal } from '../support/embedded.js';
import { FIX44_DICTIONARY, freePort, loggedMessages, QuickfixProcess, requireQuickfixProgram } from './quickfix-peer.js';

/**
 * The execution adapter against a FIX engine nobody here wrote: QuickFIX C++'s example `executor`
 * (validating what we send against its FIX 4.4 dictionary), which fills every LIMIT order in full at
 * its limit price and refuses other order types with a session Reject. The OMS runs embedded
 * without its broker simulator; the simulated market still gives the router a book for QFEX.
 */
describe('execution adapter ↔ QuickFIX executor', () => {
  let executor: QuickfixProcess;
  let system: Awaited<ReturnType<typeof startTestSystem>>;

  beforeAll(async () => {
    const program = requireQuickfixProgram('executor');
    const port = await freePort();
    executor = new QuickfixProcess(
      program,
      { ConnectionType: 'acceptor', SocketAcceptPort: String(port), UseDataDictionary: 'Y', DataDictionary: FIX44_DICTIONARY, ValidOrderTypes: '1,2' },
      { BeginString: 'FIX.4.4', SenderCompID: 'EXECUTOR', TargetCompID: 'OMS' },
    );
    system = await startTestSystem({ BROKER_SIMULATOR: 'false', OMS_VENUES: `QFEX=127.0.0.1:${port}:OMS:EXECUTOR` });
    await executor.waitFor(/Responding to logon request/);
  });

  afterAll(async () => {
    await system?.cleanUp();
    await executor?.stop();
  });

  it('fills orders: NewOrderSingle out, QuickFIX ExecutionReports applied to the order', async () => {
    const orders = [
      { clientOrderId: 'QF-1', side: 'BUY', quantity: 100, orderType: 'LIMIT', limitPrice: '150.25', timeInForce: 'DAY' },
      { clientOrderId: 'QF-2', side: 'SELL', quantity: 37, orderType: 'LIMIT', limitPrice: '149.5', timeInForce: 'IOC' },
      { clientOrderId: 'QF-3', side: 'SELL_SHORT', quantity: 1, orderType: 'LIMIT', limitPrice: '148.01', timeInForce: 'GTC' },
      // The router sends a MARKET order as a marketable LIMIT at the level it saw: executor takes only LIMIT.
      { clientOrderId: 'QF-4', side: 'BUY', quantity: 10, orderType: 'MARKET', timeInForce: 'IOC' },
    ];
    for (const order of orders) {
      const response = await postOrder(system.url, { accountId: 'ACC-12345', symbol: 'AAPL', ...order });
      expect(response.status).toBe(201);
      const final = await waitForOrder(system.url, String(response.json.orderId), isFinal);
      expect(final.status, JSON.stringify(final)).toBe('FILLED');
      expect(final.filledQuantity).toBe(order.quantity);
      expect(final.leavesQuantity).toBe(0);
      expect(final.fills!.every((f) => f.venue === 'QFEX')).toBe(true);
      expect(final.fills!.reduce((sum, f) => sum + f.quantity, 0)).toBe(order.quantity);
      // executor fills at the child's limit, which the router sets at the book, within the parent's limit.
      if (order.limitPrice) {
        const better = order.side === 'BUY' ? Number(final.avgPrice) <= Number(order.limitPrice) : Number(final.avgPrice) >= Number(order.limitPrice);
        expect(better, `${final.avgPrice} vs limit ${order.limitPrice}`).toBe(true);
      }
    }
    // What QuickFIX received and validated: LIMIT NewOrderSingles for our sides and sizes.
    const received = loggedMessages(executor.log, 'D');
    expect(received.map((m) => [m.get('54'), m.get('40')])).toEqual([
      ['1', '2'],
      ['2', '2'],
      ['5', '2'],
      ['1', '2'],
    ]);
    expect(received.reduce((sum, m) => sum + Number(m.get('38')), 0)).toBe(148);
    expect(loggedMessages(executor.log, '3')).toEqual([]);
  });
});
