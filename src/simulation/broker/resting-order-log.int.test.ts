import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePrice, type Money } from '../../domain/money/price.js';
import type { RestingOrder } from '../venue/venue-matching-engine.js';
import { RestingOrderLog } from './resting-order-log.js';

const DAY = 86_400_000;
const today = Date.parse('2026-03-04T00:00:00Z');

function resting(clOrdId: string, changes: Partial<RestingOrder> = {}, timeInForce: 'DAY' | 'GTC' = 'GTC'): RestingOrder {
  return {
    order: { clOrdId, symbol: 'AAPL', side: 'BUY', orderType: 'LIMIT', quantity: 300, limitPrice: parsePrice('149.99')!, timeInForce },
    orderId: `O-${clOrdId}`,
    cumQty: 0,
    leavesQty: 300,
    notional: 0n as Money,
    queueAhead: 1200,
    ...changes,
  };
}

describe('RestingOrderLog', () => {
  let dir: string;
  let path: string;
  const errors: unknown[] = [];
  const open = (now = today + 3_600_000) => RestingOrderLog.open(path, { tradingDayStart: today, now: () => now, onError: (error) => errors.push(error) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'resting-orders-'));
    path = join(dir, 'XNYS', 'resting-orders.jsonl');
    errors.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back each order as it last rested, fills and prices exact, and forgets the ones that ended', async () => {
    const first = open();
    expect(first.resting).toEqual([]);
    first.log.record(
      new Map([
        ['A', resting('A')],
        ['B', resting('B')],
        ['IOC', undefined],
      ]),
    );
    const filled = resting('A', { cumQty: 100, leavesQty: 200, notional: (100n * parsePrice('149.99')!) as Money, queueAhead: 0 });
    first.log.record(
      new Map([
        ['A', filled],
        ['B', undefined],
      ]),
    );
    await first.log.close();

    const again = open(today + 7_200_000);
    expect(again.resting).toEqual([{ ...filled, restedAt: today + 3_600_000 }]);
    await again.log.close();
    expect(errors).toEqual([]);
  });

  it('brings DAY orders of an earlier trading day back expired, GTC orders whatever their age', async () => {
    const yesterday = open(today - DAY / 2);
    yesterday.log.record(
      new Map([
        ['DAY-OLD', resting('DAY-OLD', {}, 'DAY')],
        ['GTC-OLD', resting('GTC-OLD')],
      ]),
    );
    await yesterday.log.close();

    const reopened = open(today + 1000);
    expect(reopened.resting.map((o) => o.order.clOrdId)).toEqual(['GTC-OLD']);
    expect(reopened.expired.map((o) => o.order.clOrdId)).toEqual(['DAY-OLD']);
    reopened.log.record(new Map([['DAY-NEW', resting('DAY-NEW', {}, 'DAY')]]));
    await reopened.log.close();

    // The expired order left the file: it is not expired a second time; today's DAY order rests.
    const last = open();
    expect(last.expired).toEqual([]);
    expect(last.resting.map((o) => o.order.clOrdId)).toEqual(['GTC-OLD', 'DAY-NEW']);
    await last.log.close();
  });

  it('drops a line torn by a crash, and refuses a file damaged elsewhere', async () => {
    const first = open();
    first.log.record(new Map([['A', resting('A')]]));
    await first.log.close();
    appendFileSync(path, '{"clOrdId":"B","orderId":"O-B","sym');
    const reopened = open();
    expect(reopened.resting.map((o) => o.order.clOrdId)).toEqual(['A']);
    reopened.log.record(new Map([['C', resting('C')]]));
    await reopened.log.close();
    const last = open();
    expect(last.resting.map((o) => o.order.clOrdId)).toEqual(['A', 'C']);
    await last.log.close();

    writeFileSync(path, `not json\n${readFileSync(path, 'utf8')}`);
    expect(() => open()).toThrow(/line 1 is not a resting order record/);
  });

  it('rewrites the file with only the live orders once dead lines outnumber them', async () => {
    const { log } = open();
    log.record(new Map([['KEEP', resting('KEEP')]]));
    for (let i = 0; i < 3000; i++)
      log.record(
        new Map<string, RestingOrder | undefined>([
          [`T${i}`, resting(`T${i}`)],
          [`T${i - 1}`, undefined],
        ]),
      );
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeLessThan(1100);
    await log.close();
    const reopened = open();
    expect(reopened.resting.map((o) => o.order.clOrdId)).toEqual(['KEEP', 'T2999']);
    await reopened.log.close();
  });
});
