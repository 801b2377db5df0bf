import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal } from '../../src/domain/money/price.js';
import { fix44, type FixMessage } from '../../src/fix/index.js';
import { TestFixClient } from '../support/fix-client.js';
import { Cluster, createTestDatabase, deleteRedisKeys, freePort, startKafkaMockBroker, waitUntil, type ServiceProcess } from './cluster.js';

/**
 * The clients' FIX gateway in distributed mode: served by the oms-ingest process that owns it,
 * reports built from orders.status (each fill's own LastQty and LastPx), sessions stored in
 * PostgreSQL; a second oms-ingest waits as a standby and takes over when the owner is killed, and
 * the client resumes its session there with its sequence numbers.
 */
const ACCOUNT = 'ACC-FIX-D';
const GATEWAY = { FIX_GATEWAY_SESSIONS: `ALICE:OMS=${ACCOUNT}` };
const redisKeyPrefix = `oms-fixgw-${Date.now().toString(36)}:`;

let broker: Awaited<ReturnType<typeof startKafkaMockBroker>>;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let cluster: Cluster;
let owner: ServiceProcess;
let standby: ServiceProcess;
let ports: { owner: number; standby: number };
let clientDir: string;
let client: TestFixClient;

const gatewayHealth = async (service: ServiceProcess): Promise<string> => {
  const health = (await (await fetch(`${service.httpUrl}/actuator/health`)).json()) as { components?: Record<string, { detail?: unknown }> };
  return String(health.components?.['FIX gateway']?.detail ?? '');
};

const marketOrder = (clOrdId: string, quantity: number) =>
  fix44.newOrderSingle({
    clOrdId,
    account: ACCOUNT,
    symbol: 'AAPL',
    side: 'BUY',
    orderQty: String(quantity),
    ordType: 'MARKET',
    timeInForce: 'DAY',
    transactTime: new Date(),
  });

const finalReport = (clOrdId: string) => (m: FixMessage) => m.msgType === '8' && m.get(11) === clOrdId && (m.get(39) === '2' || m.get(39) === '4');

/** The order's fills as oms-core stored them, and as the client heard of them: the same executions. */
async function expectTradesMatchFills(clOrdId: string, orderId: string): Promise<void> {
  const stored = await database.query<{ quantity: string; price: string }>('SELECT quantity::text, price::text FROM fills WHERE order_id = $1', [orderId]);
  const heard = client.about(clOrdId).filter((m) => m.msgType === '8' && m.get(150) === 'F' && m.get(43) !== 'Y');
  const asPairs = (rows: { quantity: string; price: string }[]) => rows.map((r) => `${r.quantity}@${formatDecimal(parseDecimal(r.price)!)}`).sort();
  expect(stored.length).toBeGreaterThan(0);
  expect(asPairs(heard.map((m) => ({ quantity: m.get(32)!, price: m.get(31)! })))).toEqual(asPairs(stored));
}

beforeAll(async () => {
  broker = await startKafkaMockBroker();
  database = await createTestDatabase();
  cluster = await Cluster.create({ kafkaBootstrap: broker.bootstrap, database: database.name, redisKeyPrefix });
  for (const service of ['marketdata-simulator', 'broker-simulator', 'risk-service', 'oms-core', 'sor-engine', 'execution-adapter'] as const)
    await cluster.start(service);
  ports = { owner: await freePort(), standby: await freePort() };
  owner = await cluster.start('oms-ingest', { ...GATEWAY, FIX_GATEWAY_PORT: String(ports.owner) });
  await waitUntil(
    async () => (await gatewayHealth(owner)).includes('ALICE: away'),
    60_000,
    () => `the first oms-ingest never served the gateway:\n${owner.output.slice(-20).join('\n')}`,
    owner,
  );
  standby = await cluster.startInstance('oms-ingest', 2, { ...GATEWAY, FIX_GATEWAY_PORT: String(ports.standby) });
  clientDir = mkdtempSync(join(tmpdir(), 'oms-fix-client-'));
  client = new TestFixClient(ports.owner, 'ALICE', 'OMS', clientDir);
  await client.start();
}, 240_000);

afterAll(async () => {
  await client?.stop();
  await cluster?.stopAll();
  await database?.drop();
  await broker?.stop();
  await deleteRedisKeys(redisKeyPrefix);
  if (clientDir) rmSync(clientDir, { recursive: true, force: true });
}, 120_000);

describe('FIX gateway, distributed mode', () => {
  it("fills a client's MARKET order, each fill reported with its own LastQty and LastPx, while a second oms-ingest waits on standby", async () => {
    client.send(marketOrder('D-1', 700));
    const done = await client.waitFor(finalReport('D-1'), 60_000);
    expect(done.get(39)).toBe('2');
    expect(done.get(14)).toBe('700');
    expect(client.about('D-1').filter((m) => m.get(150) === '0')).toHaveLength(1);
    await expectTradesMatchFills('D-1', done.get(37)!);
    expect(await gatewayHealth(standby)).toMatch(/^standby: another process owns/);
  });

  it('moves to the standby when the owner is killed: the client resumes its session there, misses no report and gets none twice', async () => {
    await cluster.kill('oms-ingest');
    await client.stop();
    await waitUntil(
      async () => (await gatewayHealth(standby)).includes('ALICE: away'),
      60_000,
      () => `the standby never took over:\n${standby.output.slice(-20).join('\n')}`,
      standby,
    );

    // Same CompIDs and store: the session goes on with its sequence numbers (no reset, no gap).
    const resumed = new TestFixClient(ports.standby, 'ALICE', 'OMS', clientDir);
    await resumed.start();
    client = resumed;
    client.send(marketOrder('D-2', 400));
    const done = await client.waitFor(finalReport('D-2'), 90_000);
    expect(done.get(39)).toBe('2');
    await expectTradesMatchFills('D-2', done.get(37)!);
    // Nothing about the first order again: it had ended before the kill.
    expect(client.received.filter((m) => m.get(11) === 'D-1')).toEqual([]);
    const execIds = client.received.filter((m) => m.msgType === '8').map((m) => m.get(17));
    expect(new Set(execIds).size).toBe(execIds.length);
  });
});
