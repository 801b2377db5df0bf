import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOrder, startTestSystem, waitForOrder, isFinal, getOrder } from '../support/embedded.js';
import { FIX44_DICTIONARY, freePort, loggedMessages, QuickfixProcess, requireQuickfixProgram } from './quickfix-peer.js';

/**
 * The execution adapter against a FIX engine nobody here wrote: QuickFIX C++'s example `executor`
 * (validating what we send against its FIX 4.4 dictionary), which fills every LIMIT order in full at
 * its limit price and refuses other order types. The OMS runs embedded without its broker simulator.
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

  it('fills LIMIT orders: NewOrderSingle out, QuickFIX ExecutionReports applied to the order', async () => {
    const orders = [
      { clientOrderId: 'QF-1', side: 'BUY', quantity: 100, limitPrice: '150.25', timeInForce: 'DAY' },
      { clientOrderId: 'QF-2', side: 'SELL', quantity: 37, limitPrice: '149.5', timeInForce: 'IOC' },
      { clientOrderId: 'QF-3', side: 'SELL_SHORT', quantity: 1, limitPrice: '151.01', timeInForce: 'GTC' },
    ];
    for (const order of orders) {
      const response = await postOrder(system.url, { accountId: 'ACC-12345', symbol: 'AAPL', orderType: 'LIMIT', ...order });
      expect(response.status).toBe(201);
      const final = await waitForOrder(system.url, String(response.json.orderId), isFinal);
      expect(final.status).toBe('FILLED');
      expect(final.filledQuantity).toBe(order.quantity);
      expect(final.leavesQuantity).toBe(0);
      expect(Number(final.avgPrice)).toBe(Number(order.limitPrice));
      expect(final.fills).toHaveLength(1);
      expect(final.fills![0]).toMatchObject({ venue: 'QFEX', quantity: order.quantity });
    }
    // What QuickFIX received and validated: our NewOrderSingles, with the order's terms.
    const received = loggedMessages(executor.log, 'D');
    expect(received.map((m) => [m.get('54'), m.get('38'), m.get('40'), m.get('44')])).toEqual([
      ['1', '100', '2', '150.25'],
      ['2', '37', '2', '149.5'],
      ['5', '1', '2', '151.01'],
    ]);
    expect(loggedMessages(executor.log, '3')).toEqual([]);
  });

  it('a MARKET order QuickFIX refuses ends REJECTED with its reason, nothing filled', async () => {
    const response = await postOrder(system.url, { clientOrderId: 'QF-M', accountId: 'ACC-12345', symbol: 'AAPL', side: 'BUY', orderType: 'MARKET', quantity: 10, timeInForce: 'IOC' });
    expect(response.status).toBe(201);
    const final = await waitForOrder(system.url, String(response.json.orderId), isFinal);
    expect(final.status).toBe('REJECTED');
    expect(final.filledQuantity).toBe(0);
    expect(final.rejectReason).toMatch(/tag 40/);
    const again = await getOrder(system.url, final.orderId);
    expect(again.fills).toEqual([]);
  });
});
