import { createConnection, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  encodeMessage,
  fix44,
  FixAcceptor,
  FixInitiator,
  fixTimestamp,
  MemoryStore,
  type AcceptorOptions,
  type FixApplication,
  type FixLogger,
} from './index.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Warning {
  readonly details: Record<string, unknown>;
  readonly message: string;
}

async function startAcceptor(
  limits: Pick<AcceptorOptions, 'logonTimeoutMs' | 'maxPendingLogonsPerAddress' | 'maxPendingLogons'>,
  application: FixApplication = { fromApp: () => undefined },
) {
  const warnings: Warning[] = [];
  const logger: FixLogger = {
    info: () => undefined,
    warn: (details, message) => void warnings.push({ details: details as Record<string, unknown>, message }),
    error: () => undefined,
  };
  const acceptor = new FixAcceptor(
    { port: 0, sessions: [{ senderCompId: 'XNYS', targetCompId: 'OMS', store: new MemoryStore() }], logger, ...limits },
    application,
  );
  await acceptor.start();
  closers.push(() => acceptor.stop());
  return { acceptor, warnings };
}

/** A raw TCP client; `closedAt` is when the acceptor closed it (ms after it connected). */
async function connect(port: number, localAddress = '127.0.0.1') {
  const socket: Socket = createConnection({ host: '127.0.0.1', port, localAddress });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const openedAt = Date.now();
  let closedAt: number | undefined;
  socket.once('close', () => (closedAt = Date.now() - openedAt));
  socket.resume();
  closers.push(async () => void socket.destroy());
  return { socket, isOpen: () => closedAt === undefined, closedAfter: () => closedAt };
}

const logon = (seqNum = 1) =>
  encodeMessage({ msgType: 'A', senderCompId: 'OMS', targetCompId: 'XNYS', seqNum, sendingTime: fixTimestamp(new Date()) }, [
    [98, '0'],
    [108, '30'],
  ]);

describe('FIX acceptor: connections that do not log on', () => {
  it('closes a silent connection when the logon timeout runs out, and warns with its address', async () => {
    const { acceptor, warnings } = await startAcceptor({ logonTimeoutMs: 400 });
    const client = await connect(acceptor.port);
    await until(() => acceptor.pendingLogons === 1);
    await sleep(200);
    expect(client.isOpen()).toBe(true);
    await until(() => !client.isOpen(), 3_000);
    expect(client.closedAfter()).toBeGreaterThanOrEqual(350);
    expect(acceptor.pendingLogons).toBe(0);
    expect(warnings).toContainEqual({ message: 'no FIX Logon in time; connection closed', details: { address: '127.0.0.1', logonTimeoutMs: 400 } });
  });

  it('closes at once a connection that opens with bytes that are not FIX, or with a message other than Logon', async () => {
    const { acceptor, warnings } = await startAcceptor({ logonTimeoutMs: 10_000 });
    const garbage = await connect(acceptor.port);
    garbage.socket.write('GET / HTTP/1.1\r\n\r\n');
    await until(() => !garbage.isOpen(), 2_000);

    const heartbeat = await connect(acceptor.port, '127.0.0.2');
    heartbeat.socket.write(encodeMessage({ msgType: '0', senderCompId: 'OMS', targetCompId: 'XNYS', seqNum: 1, sendingTime: fixTimestamp(new Date()) }, []));
    await until(() => !heartbeat.isOpen(), 2_000);
    expect(acceptor.session('XNYS', 'OMS')!.isConnected).toBe(false);
    expect(acceptor.pendingLogons).toBe(0);
    expect(warnings.map((w) => w.message)).toEqual([
      'FIX connection opened with bytes that are not FIX; closed',
      'FIX connection opened with a message other than Logon; closed',
    ]);
  });

  it('refuses connections from one address over its cap at once; the first ones wait for their timeout, other addresses still connect', async () => {
    const { acceptor, warnings } = await startAcceptor({ logonTimeoutMs: 1_500, maxPendingLogonsPerAddress: 3 });
    const first: Awaited<ReturnType<typeof connect>>[] = [];
    for (let i = 0; i < 3; i++) {
      first.push(await connect(acceptor.port));
      await until(() => acceptor.pendingLogons === i + 1);
    }
    const over = [await connect(acceptor.port), await connect(acceptor.port), await connect(acceptor.port)];
    await until(() => over.every((c) => !c.isOpen()), 1_000);
    expect(first.every((c) => c.isOpen())).toBe(true);
    // The cap is per address: another one is admitted.
    const other = await connect(acceptor.port, '127.0.0.2');
    await until(() => acceptor.pendingLogons === 4);
    // A burst of refusals is one warning, not one per socket.
    expect(warnings.filter((w) => w.message.startsWith('too many'))).toEqual([
      { message: 'too many FIX connections from one address waiting for logon; connection closed', details: { address: '127.0.0.1', max: 3 } },
    ]);

    await until(() => first.every((c) => !c.isOpen()) && !other.isOpen(), 3_000);
    expect(first.every((c) => c.closedAfter()! >= 1_400)).toBe(true);
    expect(acceptor.pendingLogons).toBe(0);
    // Their time is up: the address may connect again.
    const again = await connect(acceptor.port);
    await until(() => acceptor.pendingLogons === 1);
    expect(again.isOpen()).toBe(true);
  });

  it('refuses connections over the cap for all addresses', async () => {
    const { acceptor } = await startAcceptor({ logonTimeoutMs: 5_000, maxPendingLogonsPerAddress: 10, maxPendingLogons: 2 });
    const admitted = [await connect(acceptor.port, '127.0.0.2'), await connect(acceptor.port, '127.0.0.3')];
    await until(() => acceptor.pendingLogons === 2);
    const refused = await connect(acceptor.port, '127.0.0.4');
    await until(() => !refused.isOpen(), 1_000);
    expect(admitted.every((c) => c.isOpen())).toBe(true);
  });

  it('leaves a connection that logs on in time alone: the session works past the timeout', async () => {
    const venueApp: FixApplication = {
      fromApp: (message, session) => {
        const order = fix44.readNewOrderSingle(message);
        if (!order.ok) return;
        session.send(
          fix44.executionReport({
            orderId: 'V1',
            clOrdId: order.value.clOrdId,
            execId: `E-${order.value.clOrdId}`,
            execType: 'NEW',
            ordStatus: 'NEW',
            symbol: order.value.symbol,
            side: order.value.side,
            lastQty: '0',
            lastPx: '0',
            leavesQty: order.value.orderQty,
            cumQty: '0',
            avgPx: '0',
            transactTime: new Date(),
          }),
        );
      },
    };
    const { acceptor } = await startAcceptor({ logonTimeoutMs: 300, maxPendingLogonsPerAddress: 1 }, venueApp);
    const reports: string[] = [];
    const initiator = new FixInitiator(
      { host: '127.0.0.1', port: acceptor.port, senderCompId: 'OMS', targetCompId: 'XNYS', heartBtIntSeconds: 30, store: new MemoryStore(), reconnectMs: 50 },
      { fromApp: (m) => void reports.push(m.get(11) ?? '') },
    );
    await initiator.start();
    closers.push(() => initiator.stop());
    await initiator.session.loggedOn();
    expect(acceptor.pendingLogons).toBe(0);
    await sleep(800);
    expect(initiator.session.isLoggedOn).toBe(true);
    initiator.session.send(
      fix44.newOrderSingle({
        clOrdId: 'C1',
        symbol: 'AAPL',
        side: 'BUY',
        orderQty: '100',
        ordType: 'LIMIT',
        price: '150.25',
        timeInForce: 'DAY',
        transactTime: new Date(),
      }),
    );
    await until(() => reports.length === 1);
    expect(reports).toEqual(['C1']);
    // A logged-on connection does not count against the per-address cap of 1.
    const stranger = await connect(acceptor.port);
    await until(() => acceptor.pendingLogons === 1);
    expect(stranger.isOpen()).toBe(true);
  });

  it('takes a Logon whose bytes arrive one at a time', async () => {
    const { acceptor } = await startAcceptor({ logonTimeoutMs: 5_000 });
    const client = await connect(acceptor.port);
    const received: Buffer[] = [];
    client.socket.on('data', (chunk: Buffer) => received.push(chunk));
    for (const byte of logon()) {
      client.socket.write(Buffer.of(byte));
      await sleep(1);
    }
    await until(() => acceptor.session('XNYS', 'OMS')!.isLoggedOn);
    await until(() => Buffer.concat(received).includes('\x0135=A\x01'));
    expect(acceptor.pendingLogons).toBe(0);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}
