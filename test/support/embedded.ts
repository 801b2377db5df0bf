import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tracer } from '@opentelemetry/api';
import { loadConfig, type Config } from '../../src/config/config.js';
import { startEmbeddedSystem, type RunningSystem } from '../../src/app/embedded.js';

/** Environment for a test system: its own data directory, ephemeral ports, a fast market, quiet logs. */
export function testEnvironment(dataDir: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    PORT: '0',
    GRPC_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    OMS_VENUES: 'XNYS=127.0.0.1:0:OMS:XNYS,XNAS=127.0.0.1:0:OMS:XNAS',
    MARKET_STEP_MS: '20',
    FIX_HEARTBEAT_SECONDS: '5',
    ...overrides,
  };
}

/** `options.tracer`: trace the system (the test registers tracing first, with its own exporter). */
export async function startTestSystem(
  overrides: Record<string, string> = {},
  options: { tracer?: Tracer } = {},
): Promise<RunningSystem & { config: Config; cleanUp(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oms-test-'));
  const config = loadConfig(testEnvironment(dataDir, overrides));
  const system = await startEmbeddedSystem(config, options);
  return {
    ...system,
    config,
    cleanUp: async () => {
      await system.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface OrderJson {
  orderId: string;
  clientOrderId: string;
  accountId: string;
  symbol: string;
  side: string;
  orderType: string;
  quantity: number;
  limitPrice: string | null;
  timeInForce: string;
  status: string;
  filledQuantity: number;
  leavesQuantity: number;
  avgPrice: string | null;
  rejectReason: string | null;
  fills?: { execId: string; venue: string; quantity: number; price: string }[];
  children?: { childOrderId: string; venue: string; status: string; quantity: number; filledQuantity: number; limitPrice: string | null }[];
  events?: { seq: number; eventType: string; status: string; detail: Record<string, unknown> }[];
}

export async function postOrder(baseUrl: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

export async function getOrder(baseUrl: string, orderId: string): Promise<OrderJson> {
  const response = await fetch(`${baseUrl}/api/v1/orders/${orderId}`);
  if (response.status !== 200) throw new Error(`GET order ${orderId}: ${response.status}`);
  return (await response.json()) as OrderJson;
}

/** Polls until the order satisfies `done`, or fails with the last state seen. */
export async function waitForOrder(baseUrl: string, orderId: string, done: (o: OrderJson) => boolean, timeoutMs = 15_000): Promise<OrderJson> {
  const deadline = Date.now() + timeoutMs;
  let last: OrderJson | undefined;
  while (Date.now() < deadline) {
    last = await getOrder(baseUrl, orderId);
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`order ${orderId} did not reach the expected state; last: ${JSON.stringify(last)}`);
}

export const FINAL = ['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'];
export const isFinal = (o: OrderJson): boolean => FINAL.includes(o.status);
