import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedSystem, type RunningSystem } from '../../src/app/embedded.js';
import { loadConfig } from '../../src/config/config.js';
import { getOrder, postOrder, testEnvironment, waitForOrder, type OrderJson } from '../support/embedded.js';

/** A market that does not move while the system restarts (its first step is a minute away), or one that moves. */
const FROZEN = '60000';
const MOVING = '20';
const LIVE = ['SENT', 'NEW', 'PARTIALLY_FILLED'];

let dataDir: string | undefined;
let system: RunningSystem | undefined;

afterEach(async () => {
  await system?.stop();
  system = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function start(marketStepMs: string): Promise<string> {
  system = await startEmbeddedSystem(loadConfig(testEnvironment(dataDir!, { MARKET_STEP_MS: marketStepMs })));
  return system.url;
}

async function restart(marketStepMs: string, beforeStart: () => void = () => undefined): Promise<string> {
  await system!.stop();
  system = undefined;
  beforeStart();
  return start(marketStepMs);
}

/** ExecutionReports the OMS received since it started (the venues' answers to its status requests, here). */
async function reportsReceived(url: string): Promise<number> {
  const text = await (await fetch(`${url}/actuator/prometheus`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('oms_fix_messages_total{') && line.includes('direction="in"') && line.includes('msg_type="8"'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  let last: T | undefined;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}; last: ${JSON.stringify(last)}`);
}

const liveChildren = (o: OrderJson) => (o.children ?? []).filter((c) => LIVE.includes(c.status));
const restatements = (o: OrderJson) => (o.events ?? []).filter((e) => e.eventType === 'Restated');

/** A GTC buy of 300 MSFT at the reference price: inside every venue's spread, so it rests until the market moves. */
async function restingGtcOrder(url: string): Promise<OrderJson> {
  const market = (await (await fetch(`${url}/api/v1/marketdata/MSFT`)).json()) as { referencePrice: string };
  const body = {
    clientOrderId: `RESTART-${Date.now()}`,
    accountId: 'ACC-RESTART',
    symbol: 'MSFT',
    side: 'BUY',
    orderType: 'LIMIT',
    quantity: 300,
    limitPrice: market.referencePrice,
    timeInForce: 'GTC',
  };
  const { status, json } = await postOrder(url, body);
  expect(status).toBe(201);
  return waitForOrder(url, json.orderId as string, (o) => liveChildren(o).length > 0 && liveChildren(o).every((c) => c.status === 'NEW'));
}

function expectWorkingAndIntact(o: OrderJson): void {
  expect(o).toMatchObject({ status: 'NEW', quantity: 300, filledQuantity: 0, leavesQuantity: 300 });
  expect(liveChildren(o).reduce((sum, c) => sum + c.quantity - c.filledQuantity, 0)).toBe(300);
}

async function expectFilledOnce(url: string, orderId: string): Promise<OrderJson> {
  const filled = await waitForOrder(url, orderId, (o) => o.status === 'FILLED', 30_000);
  const fills = filled.fills ?? [];
  expect(fills.reduce((sum, f) => sum + f.quantity, 0)).toBe(300);
  expect(new Set(fills.map((f) => `${f.venue}|${f.execId}`)).size).toBe(fills.length);
  return filled;
}

describe('restarts and resting orders', () => {
  it('a GTC order stays working at its venues through three restarts of the embedded system, then fills', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oms-venue-restart-'));
    let url = await start(FROZEN);
    const placed = await restingGtcOrder(url);
    const childIds = liveChildren(placed)
      .map((c) => c.childOrderId)
      .sort();

    for (let i = 1; i <= 3; i++) {
      url = await restart(FROZEN);
      // The venues have answered the status request for each working child.
      await until(
        () => reportsReceived(url),
        (n) => n >= childIds.length,
        'the venues did not answer the status requests',
      );
      const after = await getOrder(url, placed.orderId);
      expectWorkingAndIntact(after);
      expect(
        liveChildren(after)
          .map((c) => c.childOrderId)
          .sort(),
      ).toEqual(childIds);
      expect(restatements(after)).toEqual([]);
    }

    url = await restart(MOVING);
    const filled = await expectFilledOnce(url, placed.orderId);
    expect(filled.children!.map((c) => c.childOrderId).sort()).toEqual(childIds);
  }, 240_000);

  it('a venue that lost its book on restart gets the order again, no routing attempt spent, and the history says so', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oms-venue-lost-'));
    let url = await start(FROZEN);
    const placed = await restingGtcOrder(url);
    const slices = liveChildren(placed).length;

    for (let i = 1; i <= 3; i++) {
      url = await restart(FROZEN, () => rmSync(join(dataDir!, 'broker-simulator'), { recursive: true, force: true }));
      const after = await until(
        () => getOrder(url, placed.orderId),
        (o) => restatements(o).length === i * slices && liveChildren(o).every((c) => c.status === 'NEW'),
        `the lost children were not re-placed after restart ${i}`,
      );
      expectWorkingAndIntact(after);
      expect(liveChildren(after)).toHaveLength(slices);
    }
    const history = restatements(await getOrder(url, placed.orderId));
    expect(history.map((e) => e.status)).toEqual(Array(3 * slices).fill('NEW'));
    expect(String(history[0]!.detail.reason)).toMatch(/lost the order on restart/);

    url = await restart(MOVING);
    await expectFilledOnce(url, placed.orderId);
  }, 240_000);
});
