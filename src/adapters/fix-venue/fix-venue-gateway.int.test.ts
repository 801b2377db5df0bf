import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDecimal } from '../../domain/money/price.js';
import { decodeMessage, FileStore, Tag } from '../../fix/index.js';
import type { VenueExecutionReport } from '../../ports/venue-gateway.js';
import { BrokerSimulator } from '../../simulation/broker/broker-simulator.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from '../../simulation/market/market-config.js';
import { SimulatedMarket } from '../../simulation/market/simulated-market.js';
import { createLogger } from '../observability/pino-logger.js';
import { createMetrics } from '../observability/prometheus-metrics.js';
import { FixVenueGateway } from './fix-venue-gateway.js';

const logger = createLogger({ level: 'silent', name: 'test' });

/** What the execution adapter makes of the venue's answers to its status requests, against the broker simulator. */
describe('FixVenueGateway status answers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-status-'));
  let stopAll: () => Promise<void> = async () => undefined;
  afterEach(async () => {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The venue and the OMS's session to it, both as after a (re)start on the same data directory. */
  async function start(): Promise<{ gateway: FixVenueGateway; reports: VenueExecutionReport[]; bid: string; sent: FileStore[] }> {
    const market = new SimulatedMarket({ seed: 7, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(['XNYS']) });
    const broker = new BrokerSimulator({
      market,
      venues: [{ name: 'XNYS', host: '127.0.0.1', port: 0, senderCompId: 'OMS', targetCompId: 'XNYS' }],
      storeDir: join(dir, 'venue-fix'),
      bookDir: join(dir, 'book'),
      logger,
    });
    await broker.start();
    const reports: VenueExecutionReport[] = [];
    const sent: FileStore[] = [];
    const storeFor = (venue: string): FileStore => {
      const store = new FileStore(join(dir, 'oms-fix', venue));
      sent.push(store);
      return store;
    };
    const gateway = new FixVenueGateway({
      venues: broker.endpoints(),
      storeFor,
      heartBtIntSeconds: 5,
      onReport: async (r) => void reports.push(r),
      logger,
      metrics: createMetrics(),
    });
    await gateway.start();
    await gateway.ready(5000);
    stopAll = async () => {
      await gateway.stop();
      await broker.stop();
    };
    return { gateway, reports, bid: formatDecimal(market.book('XNYS', 'AAPL')!.best('bid')!.price), sent };
  }

  async function answer(reports: VenueExecutionReport[], count: number): Promise<VenueExecutionReport> {
    for (const deadline = Date.now() + 5000; reports.length < count;) {
      if (Date.now() > deadline) throw new Error(`no report ${count}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return reports[count - 1]!;
  }

  it('reads a working order as acknowledged, and an order the venue lost as UNKNOWN_ORDER, not as a reject', async () => {
    const first = await start();
    const child = { childOrderId: 'C-1', symbol: 'AAPL', side: 'BUY' as const };
    await first.gateway.sendNewOrder({
      type: 'ChildOrderRouted',
      ...child,
      parentOrderId: 'P-1',
      accountId: 'A',
      venue: 'XNYS',
      orderType: 'LIMIT',
      quantity: 100,
      limitPrice: first.bid,
      timeInForce: 'GTC',
      attempt: 1,
    });
    expect(await answer(first.reports, 1)).toMatchObject({ clOrdId: 'C-1', execType: 'NEW' });
    first.gateway.requestStatus('XNYS', child);
    expect(await answer(first.reports, 2)).toMatchObject({ clOrdId: 'C-1', execType: 'NEW', cumQty: 0, leavesQty: 100 });
    await stopAll();

    // The venue comes back without its book.
    rmSync(join(dir, 'book'), { recursive: true, force: true });
    const second = await start();
    second.gateway.requestStatus('XNYS', child);
    expect(await answer(second.reports, 1)).toMatchObject({ clOrdId: 'C-1', execType: 'UNKNOWN_ORDER', text: 'unknown order' });
  });

  it('sends an intermarket sweep child with ExecInst (18) f, and the venue takes it', async () => {
    const { gateway, reports, bid, sent } = await start();
    const child = {
      type: 'ChildOrderRouted' as const,
      parentOrderId: 'P-2',
      accountId: 'A',
      venue: 'XNYS',
      symbol: 'AAPL',
      side: 'BUY' as const,
      orderType: 'LIMIT' as const,
      quantity: 100,
      limitPrice: bid,
      timeInForce: 'GTC' as const,
      attempt: 1,
    };
    await gateway.sendNewOrder({ ...child, childOrderId: 'C-ISO', intermarketSweep: true });
    await gateway.sendNewOrder({ ...child, childOrderId: 'C-PLAIN' });
    expect((await answer(reports, 2)).execType).toBe('NEW');
    const store = sent[0]!;
    const onTheWire = store
      .sentBetween(1, store.nextSenderSeqNum() - 1)
      .map(({ message }) => decodeMessage(message))
      .filter((m) => m.get(Tag.ClOrdID)?.startsWith('C-'));
    expect(onTheWire.map((m) => [m.get(Tag.ClOrdID), m.get(Tag.ExecInst)])).toEqual([
      ['C-ISO', 'f'],
      ['C-PLAIN', undefined],
    ]);
    expect(reports.map((r) => [r.clOrdId, r.execType])).toEqual([
      ['C-ISO', 'NEW'],
      ['C-PLAIN', 'NEW'],
    ]);
  });
});
