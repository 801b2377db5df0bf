import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, loggedMessages, QuickfixProcess, requireQuickfixProgram } from './quickfix-peer.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Starts `src/main.ts --service broker-simulator` as its own process, as a desk would. */
async function startBrokerSimulatorProcess(env: Record<string, string>): Promise<{ process: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--service', 'broker-simulator'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 20_000;
  while (!output.includes('broker simulator started')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`broker simulator did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    process: child,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A FIX initiator nobody here wrote trades with the broker simulator: QuickFIX C++'s example
 * `tradeclient`, driven at its prompts, sends a NewOrderSingle to a simulated venue and receives
 * the venue's ExecutionReports.
 */
describe('QuickFIX tradeclient ↔ broker simulator', () => {
  let dataDir: string;
  let broker: Awaited<ReturnType<typeof startBrokerSimulatorProcess>>;
  let client: QuickfixProcess;

  beforeAll(async () => {
    const program = requireQuickfixProgram('tradeclient');
    const port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), 'broker-sim-'));
    broker = await startBrokerSimulatorProcess({
      BROKER_HOST: '127.0.0.1',
      PORT: '0',
      OMS_VENUES: `XNYS=127.0.0.1:${port}:CLIENT1:XNYS`,
      DATA_DIR: dataDir,
      MARKET_STEP_MS: '20',
    });
    client = new QuickfixProcess(
      program,
      {
        ConnectionType: 'initiator',
        SocketConnectHost: '127.0.0.1',
        SocketConnectPort: String(port),
        HeartBtInt: '30',
        ReconnectInterval: '1',
        UseDataDictionary: 'N',
      },
      { BeginString: 'FIX.4.4', SenderCompID: 'CLIENT1', TargetCompID: 'XNYS' },
    );
    await client.waitFor(/Logon - FIX\.4\.4:CLIENT1->XNYS/);
  });

  afterAll(async () => {
    await client?.stop();
    await broker?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a marketable LIMIT buy entered at the tradeclient prompts is acknowledged and filled', async () => {
    const order = {
      'Action: ': '1',
      'BeginString: ': '5',
      'ClOrdID: ': 'TC-1',
      'Side: ': '1',
      'OrdType: ': '2',
      'Symbol: ': 'AAPL',
      'OrderQty: ': '100',
      'TimeInForce: ': '1',
      'Price: ': '200',
      'SenderCompID: ': 'CLIENT1',
      'TargetCompID: ': 'XNYS',
      'Use a TargetSubID?: ': 'n',
      'Send order?: ': 'y',
    };
    while ((await client.answerNext(order)) !== 'Send order?: ');

    await client.waitFor(/\x0139=2\x01/);
    const reports = loggedMessages(client.log, '8').filter((m) => m.get('11') === 'TC-1');
    // Acknowledged first, then filled in full; quantities add up and the price respects the limit.
    expect(reports[0]!.get('150')).toBe('0');
    const last = reports.at(-1)!;
    expect(last.get('39')).toBe('2');
    expect(last.get('14')).toBe('100');
    expect(last.get('151')).toBe('0');
    const trades = reports.filter((m) => m.get('150') === 'F');
    expect(trades.reduce((sum, m) => sum + Number(m.get('32')), 0)).toBe(100);
    for (const trade of trades) expect(Number(trade.get('31'))).toBeLessThanOrEqual(200);
    expect(new Set(trades.map((m) => m.get('17'))).size).toBe(trades.length);
    // The venue accepted QuickFIX's message as sent: no session or business reject.
    expect(loggedMessages(client.log, '3')).toEqual([]);
    expect(loggedMessages(client.log, 'j')).toEqual([]);
  });
});
