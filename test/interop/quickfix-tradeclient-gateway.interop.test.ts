import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal } from '../../src/domain/money/price.js';
import { getOrder, startTestSystem } from '../support/embedded.js';
import { FIX44_DICTIONARY, loggedMessages, QuickfixProcess, requireQuickfixProgram } from './quickfix-peer.js';

const ACCOUNT = 'ACC-TC';

/**
 * A FIX client nobody here wrote trades through the OMS: QuickFIX C++'s example `tradeclient`,
 * answered at its prompts, sends a LIMIT order to the order-entry gateway; the smart order router
 * places it at the simulated venues and the fills come back to the client as ExecutionReports,
 * which QuickFIX checks against its FIX 4.4 dictionary (a report it refused would get a Reject).
 */
describe('QuickFIX tradeclient ↔ FIX order-entry gateway', () => {
  let system: Awaited<ReturnType<typeof startTestSystem>>;
  let client: QuickfixProcess;
  let reference: bigint;

  beforeAll(async () => {
    const program = requireQuickfixProgram('tradeclient');
    system = await startTestSystem({ FIX_GATEWAY_PORT: '0', FIX_GATEWAY_SESSIONS: `CLIENT1:OMS=${ACCOUNT}` });
    const market = (await (await fetch(`${system.url}/api/v1/marketdata/AAPL`)).json()) as { referencePrice: string };
    reference = parseDecimal(market.referencePrice)!;
    client = new QuickfixProcess(
      program,
      {
        ConnectionType: 'initiator',
        SocketConnectHost: '127.0.0.1',
        SocketConnectPort: String(system.fixGatewayPort),
        HeartBtInt: '30',
        ReconnectInterval: '1',
        UseDataDictionary: 'Y',
        DataDictionary: FIX44_DICTIONARY,
      },
      { BeginString: 'FIX.4.4', SenderCompID: 'CLIENT1', TargetCompID: 'OMS' },
    );
    await client.waitFor(/Logon - FIX\.4\.4:CLIENT1->OMS/);
  });

  afterAll(async () => {
    await client?.stop();
    await system?.cleanUp();
  });

  /** A LIMIT DAY buy of 100 AAPL `percent`% of the reference price, entered at the prompts; resolves once acknowledged (150=0). */
  async function restingOrder(clOrdId: string, percent: bigint): Promise<string> {
    const price = formatDecimal(((reference * percent) / 100n / 1_000_000n) * 1_000_000n);
    const order = {
      'Action: ': '1',
      'BeginString: ': '5',
      'ClOrdID: ': clOrdId,
      'Side: ': '1',
      'OrdType: ': '2',
      'Symbol: ': 'AAPL',
      'OrderQty: ': '100',
      'TimeInForce: ': '1',
      'Price: ': price,
      'SenderCompID: ': 'CLIENT1',
      'TargetCompID: ': 'OMS',
      'Use a TargetSubID?: ': 'n',
      'Send order?: ': 'y',
    };
    while ((await client.answerNext(order)) !== 'Send order?: ');
    const acknowledged = () => loggedMessages(client.log, '8').some((m) => m.get('11') === clOrdId && m.get('150') === '0');
    const deadline = Date.now() + 15_000;
    while (!acknowledged() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!acknowledged()) throw new Error(`${clOrdId} was not acknowledged (150=0) within 15 s`);
    return price;
  }

  it('a marketable LIMIT buy entered at the prompts is routed, filled, and reported back in FIX', async () => {
    const limit = formatDecimal(((reference * 103n) / 100n / 1_000_000n) * 1_000_000n);
    const order = {
      'Action: ': '1',
      'BeginString: ': '5',
      'ClOrdID: ': 'TC-GW-1',
      'Side: ': '1',
      'OrdType: ': '2',
      'Symbol: ': 'AAPL',
      'OrderQty: ': '300',
      'TimeInForce: ': '1',
      'Price: ': limit,
      'SenderCompID: ': 'CLIENT1',
      'TargetCompID: ': 'OMS',
      'Use a TargetSubID?: ': 'n',
      'Send order?: ': 'y',
    };
    while ((await client.answerNext(order)) !== 'Send order?: ');

    await client.waitFor(/\x0139=2\x01/, 30_000);
    const reports = loggedMessages(client.log, '8').filter((m) => m.get('11') === 'TC-GW-1');
    expect(reports[0]!.get('150')).toBe('0');
    const last = reports.at(-1)!;
    expect(['39', '14', '151', '1'].map((tag) => last.get(tag))).toEqual(['2', '300', '0', ACCOUNT]);
    const trades = reports.filter((m) => m.get('150') === 'F');
    expect(trades.reduce((sum, m) => sum + Number(m.get('32')), 0)).toBe(300);
    for (const trade of trades) expect(parseDecimal(trade.get('31')!)! <= parseDecimal(limit)!).toBe(true);
    const stored = await getOrder(system.url, last.get('37')!);
    expect(stored).toMatchObject({ clientOrderId: 'TC-GW-1', accountId: ACCOUNT, status: 'FILLED', avgPrice: last.get('6') });
    // QuickFIX took every report: no session Reject or BusinessMessageReject from it, and none from us.
    expect(loggedMessages(client.log, '3')).toEqual([]);
    expect(loggedMessages(client.log, 'j')).toEqual([]);
  });
  it('a resting LIMIT order entered at the prompts is canceled from them: Canceled under the cancel ClOrdID, 41 the order', async () => {
    await restingOrder('TC-GW-2', 96n);
    const cancel = {
      'Action: ': '2',
      'BeginString: ': '5',
      'OrigClOrdID: ': 'TC-GW-2',
      'ClOrdID: ': 'TC-GW-2X',
      'Side: ': '1',
      'Symbol: ': 'AAPL',
      'OrderQty: ': '100',
      'SenderCompID: ': 'CLIENT1',
      'TargetCompID: ': 'OMS',
      'Use a TargetSubID?: ': 'n',
      'Send cancel?: ': 'y',
    };
    while ((await client.answerNext(cancel)) !== 'Send cancel?: ');
    await client.waitFor(/\x0111=TC-GW-2X\x01/, 30_000);
    const deadline = Date.now() + 15_000;
    while (!loggedMessages(client.log, '8').some((m) => m.get('11') === 'TC-GW-2X' && m.get('150') === '4') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const canceled = loggedMessages(client.log, '8').find((m) => m.get('11') === 'TC-GW-2X' && m.get('150') === '4');
    expect(canceled?.get('41')).toBe('TC-GW-2');
    expect(canceled?.get('39')).toBe('4');
    expect(loggedMessages(client.log, '3')).toEqual([]);
    expect(loggedMessages(client.log, 'j')).toEqual([]);
  });

  it('a resting LIMIT order is replaced from the prompts: PendingReplace, then Replaced under the new ClOrdID with the new price and quantity', async () => {
    await restingOrder('TC-GW-3', 96n);
    const lower = formatDecimal(((reference * 95n) / 100n / 1_000_000n) * 1_000_000n);
    const replace = {
      'Action: ': '3',
      'BeginString: ': '5',
      'OrigClOrdID: ': 'TC-GW-3',
      'ClOrdID: ': 'TC-GW-3R',
      'Side: ': '1',
      'OrdType: ': '2',
      'Symbol: ': 'AAPL',
      'New price?: ': 'y',
      'Price: ': lower,
      'New quantity?: ': 'y',
      'OrderQty: ': '200',
      'SenderCompID: ': 'CLIENT1',
      'TargetCompID: ': 'OMS',
      'Use a TargetSubID?: ': 'n',
      'Send replace?: ': 'y',
    };
    while ((await client.answerNext(replace)) !== 'Send replace?: ');
    const deadline = Date.now() + 30_000;
    const replaced = () => loggedMessages(client.log, '8').find((m) => m.get('11') === 'TC-GW-3R' && m.get('150') === '5');
    while (!replaced() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const reports = loggedMessages(client.log, '8').filter((m) => m.get('11') === 'TC-GW-3R');
    expect(reports.map((m) => m.get('150'))).toEqual(['E', '5']);
    const done = replaced()!;
    expect(['41', '39', '38', '44', '151'].map((tag) => done.get(tag))).toEqual(['TC-GW-3', '0', '200', lower, '200']);
    const stored = await getOrder(system.url, done.get('37')!);
    expect(stored).toMatchObject({ clientOrderId: 'TC-GW-3', quantity: 200, limitPrice: lower, status: 'NEW' });
    expect(loggedMessages(client.log, '3')).toEqual([]);
    expect(loggedMessages(client.log, 'j')).toEqual([]);
  });
});
