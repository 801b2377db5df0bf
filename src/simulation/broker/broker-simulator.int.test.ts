import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fix44, FileStore, FixInitiator } from '../../fix/index.js';
import { formatDecimal } from '../../domain/money/price.js';
import { createLogger } from '../../adapters/observability/pino-logger.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from '../market/market-config.js';
import { SimulatedMarket } from '../market/simulated-market.js';
import { BrokerSimulator } from './broker-simulator.js';

const logger = createLogger({ level: 'silent', name: 'test' });

/**
 * The broker simulator as the OMS meets it over FIX, stopped and started again on the same data
 * directory as a restarted process would be: a fresh market from the same seed each time.
 */
describe('broker simulator restarts', () => {
  let dir: string;
  let market: SimulatedMarket;
  let running: { broker: BrokerSimulator; initiator: FixInitiator; reports: fix44.ExecutionReport[] } | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'broker-restart-'));
  });
  afterEach(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the simulator (its books kept under `book/` unless told otherwise) and an OMS-side session to it. */
  async function start(options: { keepsBook: boolean } = { keepsBook: true }): Promise<NonNullable<typeof running>> {
    market = new SimulatedMarket({ seed: 7, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(['XNYS']) });
    const broker = new BrokerSimulator({
      market,
      venues: [{ name: 'XNYS', host: '127.0.0.1', port: 0, senderCompId: 'OMS', targetCompId: 'XNYS' }],
      storeDir: join(dir, 'fix', 'broker-simulator'),
      bookDir: options.keepsBook ? join(dir, 'book') : undefined,
      logger,
    });
    await broker.start();
    const reports: fix44.ExecutionReport[] = [];
    const initiator = new FixInitiator(
      {
        host: '127.0.0.1',
        port: broker.endpoints()[0]!.port,
        senderCompId: 'OMS',
        targetCompId: 'XNYS',
        heartBtIntSeconds: 5,
        store: new FileStore(join(dir, 'fix', 'oms')),
        reconnectMs: 50,
      },
      {
        fromApp: (message) => {
          const report = fix44.readExecutionReport(message);
          if (report.ok) reports.push(report.value);
        },
      },
    );
    await initiator.start();
    await initiator.session.loggedOn();
    running = { broker, initiator, reports };
    return running;
  }

  async function stop(): Promise<void> {
    if (!running) return;
    await running.initiator.stop();
    await running.broker.stop();
    running = undefined;
  }

  async function next(reports: fix44.ExecutionReport[], from: number): Promise<fix44.ExecutionReport> {
    for (const deadline = Date.now() + 5000; reports.length <= from;) {
      if (Date.now() > deadline) throw new Error('no ExecutionReport came');
      await new Promise((r) => setTimeout(r, 5));
    }
    return reports[from]!;
  }

  /** A GTC buy of 200 AAPL at XNYS's best bid: it rests. */
  async function placeRestingOrder(): Promise<fix44.ExecutionReport> {
    const { initiator, reports } = await start();
    const price = formatDecimal(market.book('XNYS', 'AAPL')!.best('bid')!.price);
    initiator.session.send(
      fix44.newOrderSingle({
        clOrdId: 'GTC-1',
        account: 'ACC',
        symbol: 'AAPL',
        side: 'BUY',
        orderQty: '200',
        ordType: 'LIMIT',
        price,
        timeInForce: 'GTC',
        transactTime: new Date(),
      }),
    );
    const acknowledged = await next(reports, 0);
    expect(acknowledged).toMatchObject({ execType: 'NEW', ordStatus: 'NEW', leavesQty: '200' });
    await stop();
    return acknowledged;
  }

  async function statusAfterRestart(options?: { keepsBook: boolean }): Promise<fix44.ExecutionReport> {
    const { initiator, reports } = await start(options);
    initiator.session.send(fix44.orderStatusRequest({ clOrdId: 'GTC-1', symbol: 'AAPL', side: 'BUY' }));
    return next(reports, 0);
  }

  it('keeps a resting GTC order through three restarts, then fills it as the market trades through', async () => {
    const acknowledged = await placeRestingOrder();
    for (let restart = 1; restart <= 3; restart++) {
      const status = await statusAfterRestart();
      expect(status).toMatchObject({ execType: 'ORDER_STATUS', ordStatus: 'NEW', orderId: acknowledged.orderId, leavesQty: '200', cumQty: '0' });
      await stop();
    }

    const { broker, reports } = await start();
    for (let step = 0; step < 2000 && !reports.some((r) => r.ordStatus === 'FILLED'); step++) {
      market.step();
      broker.onMarketStep();
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 50));
    const trades = reports.filter((r) => r.execType === 'TRADE');
    expect(trades.reduce((sum, r) => sum + Number(r.lastQty), 0)).toBe(200);
    expect(trades.at(-1)).toMatchObject({ clOrdId: 'GTC-1', orderId: acknowledged.orderId, ordStatus: 'FILLED', cumQty: '200', leavesQty: '0' });
    expect(new Set(trades.map((r) => r.execId)).size).toBe(trades.length);
  });

  it('answers "unknown order" (OrdRejReason 5) for an order it did not keep', async () => {
    await placeRestingOrder();
    const status = await statusAfterRestart({ keepsBook: false });
    expect(status).toMatchObject({ execType: 'ORDER_STATUS', ordStatus: 'REJECTED', ordRejReason: fix44.OrdRejReason.UnknownOrder, text: 'unknown order' });
  });
});
