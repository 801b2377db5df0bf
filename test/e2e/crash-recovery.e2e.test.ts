import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getOrder, postOrder, testEnvironment, waitForOrder, type OrderJson } from '../support/embedded.js';
import { freePort, startSystemProcess } from '../support/processes.js';

const dataDir = mkdtempSync(join(tmpdir(), 'oms-crash-'));
let running: ChildProcess | undefined;

afterAll(() => {
  running?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const isSettled = (o: OrderJson): boolean =>
  ['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'].includes(o.status) ||
  (o.status === 'NEW' && (o.children ?? []).some((c) => ['NEW', 'PARTIALLY_FILLED'].includes(c.status)));

describe('kill -9 after acknowledgements', () => {
  it('loses no acknowledged order, and every flow resumes after restart', async () => {
    const port = await freePort();
    const [xnys, xnas] = [await freePort(), await freePort()];
    const env = testEnvironment(dataDir, {
      PORT: String(port),
      OMS_VENUES: `XNYS=127.0.0.1:${xnys}:OMS:XNYS,XNAS=127.0.0.1:${xnas}:OMS:XNAS`,
      LOG_LEVEL: 'warn',
    });
    const url = `http://127.0.0.1:${port}`;
    running = await startSystemProcess(env, url);

    const market = (await (await fetch(`${url}/api/v1/marketdata/MSFT`)).json()) as { referencePrice: string };
    const passive = (Number(market.referencePrice.split('.')[0]) - 20).toFixed(2);
    const bodies = Array.from({ length: 300 }, (_, i) => ({
      clientOrderId: `CRASH-${i}`,
      accountId: 'ACC-CRASH',
      symbol: 'MSFT',
      side: i % 2 === 0 ? 'BUY' : 'SELL',
      orderType: i % 3 === 0 ? 'LIMIT' : 'MARKET',
      quantity: 100,
      ...(i % 3 === 0 ? { limitPrice: i % 2 === 0 ? passive : (Number(passive) + 40).toFixed(2) } : {}),
      timeInForce: 'DAY',
    }));
    const acknowledged = new Map<string, string>();
    await Promise.all(
      bodies.map(async (body) => {
        const { status, json } = await postOrder(url, body).catch(() => ({ status: 0, json: {} as Record<string, unknown> }));
        if (status === 201) acknowledged.set(json.orderId as string, body.clientOrderId);
      }),
    );
    running.kill('SIGKILL');
    await new Promise((resolve) => running!.once('exit', resolve));
    expect(acknowledged.size).toBe(bodies.length);

    running = await startSystemProcess(env, url);
    for (const [orderId, clientOrderId] of acknowledged) {
      const stored = await getOrder(url, orderId);
      expect(stored.clientOrderId).toBe(clientOrderId);
    }
    let filledShares = 0;
    for (const orderId of acknowledged.keys()) {
      const settled = await waitForOrder(url, orderId, isSettled, 30_000);
      const fills = settled.fills ?? [];
      expect(fills.reduce((sum, f) => sum + f.quantity, 0)).toBe(settled.filledQuantity);
      expect(new Set(fills.map((f) => `${f.venue}|${f.execId}`)).size).toBe(fills.length);
      filledShares += settled.side === 'BUY' ? settled.filledQuantity : -settled.filledQuantity;
    }
    // A retry of an acknowledged request after the crash still finds the original order.
    const retry = await postOrder(url, bodies[0]);
    expect(retry.status).toBe(200);

    let position = NaN;
    for (let i = 0; i < 100 && position !== filledShares; i++) {
      const positions = ((await (await fetch(`${url}/api/v1/positions?accountId=ACC-CRASH`)).json()) as { positions: { quantity: number }[] }).positions;
      position = positions[0]?.quantity ?? 0;
      if (position !== filledShares) await new Promise((r) => setTimeout(r, 100));
    }
    expect(position).toBe(filledShares);

    const stopped = new Promise((resolve) => running!.once('exit', resolve));
    running.kill('SIGTERM');
    expect(await stopped).toBe(0);
    running = undefined;
  }, 240_000);
});
