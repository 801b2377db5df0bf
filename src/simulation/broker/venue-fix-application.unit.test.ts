import { describe, expect, it } from 'vitest';
import { fix44, FixMessage, Tag, type FixSession, type OutgoingFix } from '../../fix/index.js';
import { formatDecimal } from '../../domain/money/price.js';
import { createLogger } from '../../adapters/observability/pino-logger.js';
import { DEFAULT_SYMBOLS, simulatedVenues } from '../market/market-config.js';
import { SimulatedMarket } from '../market/simulated-market.js';
import { VenueMatchingEngine } from '../venue/venue-matching-engine.js';
import { venueFixApplication } from './venue-fix-application.js';

/** The venue's FIX application with a session that only records what it is given to send. */
function venue() {
  const market = new SimulatedMarket({ seed: 7, symbols: DEFAULT_SYMBOLS, venues: simulatedVenues(['XNYS']) });
  const app = venueFixApplication(new VenueMatchingEngine('XNYS', market, 'T'), createLogger({ level: 'silent', name: 'test' }));
  const sent: fix44.ExecutionReport[] = [];
  const send = (out: OutgoingFix) => {
    const report = fix44.readExecutionReport(new FixMessage([[Tag.MsgType, out.msgType], ...out.body]));
    if (report.ok) sent.push(report.value);
    return sent.length;
  };
  const session = { send } as unknown as FixSession;
  const receive = (message: OutgoingFix, header: [number, string][] = []) =>
    app.fromApp(new FixMessage([[Tag.MsgType, message.msgType], ...header, ...message.body]), session);
  const bid = formatDecimal(market.book('XNYS', 'AAPL')!.best('bid')!.price);
  return { sent, receive, bid };
}

describe('the simulated venue over FIX', () => {
  it('answers a resent copy (PossDupFlag) of an order it holds with the order as it stands, and a plain repeat with a duplicate reject', () => {
    const { sent, receive, bid } = venue();
    const order = fix44.newOrderSingle({
      clOrdId: 'K1',
      symbol: 'AAPL',
      side: 'BUY',
      orderQty: '100',
      ordType: 'LIMIT',
      price: bid,
      timeInForce: 'GTC',
      transactTime: new Date(),
    });
    receive(order);
    expect(sent.at(-1)).toMatchObject({ clOrdId: 'K1', execType: 'NEW', ordStatus: 'NEW' });
    // A venue that kept the order across a crash but not the sequence number gets the order again.
    receive(order, [[Tag.PossDupFlag, 'Y']]);
    expect(sent.at(-1)).toMatchObject({ clOrdId: 'K1', execType: 'ORDER_STATUS', ordStatus: 'NEW', orderId: sent[0]!.orderId, leavesQty: '100' });
    receive(order);
    expect(sent.at(-1)).toMatchObject({ clOrdId: 'K1', execType: 'REJECTED', text: 'duplicate ClOrdID K1' });
  });

  it('answers a status request for an order it does not know with "unknown order" (OrdRejReason 5)', () => {
    const { sent, receive } = venue();
    receive(fix44.orderStatusRequest({ clOrdId: 'NOPE', symbol: 'AAPL', side: 'BUY' }));
    expect(sent).toEqual([
      expect.objectContaining({ clOrdId: 'NOPE', execType: 'ORDER_STATUS', ordStatus: 'REJECTED', ordRejReason: fix44.OrdRejReason.UnknownOrder }),
    ]);
  });
});
