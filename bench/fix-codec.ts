/**
 * FIX engine benchmarks: codec encode/decode of an ExecutionReport (messages per second and
 * microseconds per message), and a session round trip over loopback TCP (NewOrderSingle out,
 * ExecutionReport back; orders per second and latency percentiles), once on in-memory stores and
 * once on FileStores (both sides, as the embedded system runs), with the main thread's CPU time.
 *
 *   node --import tsx bench/fix-codec.ts [--messages 200000] [--orders 20000] [--in-flight 100] [--stores memory,file]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { decodeMessage, encodeMessage, fix44, FileStore, FixAcceptor, FixInitiator, FrameDecoder, MemoryStore, type MessageStore } from '../src/fix/index.js';
import { scriptOptions } from './options.js';

const values = scriptOptions('node --import tsx bench/fix-codec.ts [options]   (npm run bench:fix -- [options])', {
  messages: { type: 'string', default: '200000', help: 'ExecutionReports encoded and decoded' },
  orders: { type: 'string', default: '20000', help: 'orders of the session round trip' },
  'in-flight': { type: 'string', default: '100', help: 'orders in flight in the round trip' },
  stores: { type: 'string', default: 'memory,file', help: 'message stores to run the round trip on' },
});
const messages = Number(values.messages);

const report = fix44.executionReport({
  orderId: 'XNYS-O123456',
  clOrdId: '01a21039-8c18-71ee-ac23-5cc8082be9be',
  execId: 'XNYS-E1234567',
  execType: 'TRADE',
  ordStatus: 'PARTIALLY_FILLED',
  symbol: 'AAPL',
  side: 'BUY',
  orderQty: '1000',
  price: '150.25',
  lastQty: '100',
  lastPx: '150.24',
  leavesQty: '900',
  cumQty: '100',
  avgPx: '150.24',
  transactTime: new Date(),
});
const header = { msgType: report.msgType, senderCompId: 'XNYS', targetCompId: 'OMS', seqNum: 12345, sendingTime: '20261125-01:02:03.456' };

/** Heap bytes allocated while `measured` runs: what each GC freed plus the growth since the start (GC count too). */
async function allocated<T>(measured: () => Promise<T> | T): Promise<{ result: T; bytes: number; gcs: number }> {
  const profiler = new GCProfiler();
  const before = getHeapStatistics().used_heap_size;
  profiler.start();
  const result = await measured();
  const after = getHeapStatistics().used_heap_size;
  const { statistics } = profiler.stop();
  let freed = 0;
  for (const gc of statistics) freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  return { result, bytes: freed + after - before, gcs: statistics.length };
}

async function time(label: string, run: () => void): Promise<void> {
  for (let i = 0; i < 20_000; i++) run(); // warm up the JIT
  const { result: ns, bytes } = await allocated(() => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < messages; i++) run();
    return Number(process.hrtime.bigint() - start);
  });
  console.log(
    `${label}: ${((messages * 1e9) / ns).toFixed(0)} msg/s, ${(ns / messages / 1000).toFixed(3)} us/msg, ${(bytes / messages).toFixed(0)} B/msg allocated`,
  );
}

const bytes = encodeMessage(header, report.body);
console.log(`ExecutionReport of ${bytes.length} bytes, ${messages} iterations`);
await time('encode', () => encodeMessage(header, report.body));
// One decoder per connection, as the transport has.
const decoder = new FrameDecoder();
await time('decode (frame + checksum + parse + 3 lookups)', () => {
  const [frame] = decoder.push(bytes);
  const message = decodeMessage(frame!.bytes);
  message.get(17);
  message.get(32);
  message.get(31);
});

// As the transport reads: frames handed over as bounds in the chunk.
const sink = {
  onFrameBytes: (buffer: Buffer, start: number, end: number) => {
    const message = decodeMessage(buffer, start, end);
    message.get(17);
    message.get(32);
    message.get(31);
  },
  onGarbled: () => {
    throw new Error('garbled');
  },
};
await time('decode as the transport (feed + checksum + parse + 3 lookups)', () => decoder.feed(bytes, sink));

async function roundTrip(kind: string): Promise<void> {
  const orders = Number(values.orders);
  const inFlight = Number(values['in-flight']);
  const dir = mkdtempSync(join(tmpdir(), 'bench-fix-'));
  const store = (name: string): MessageStore => (kind === 'file' ? new FileStore(join(dir, name)) : new MemoryStore());
  const acceptor = new FixAcceptor(
    { port: 0, sessions: [{ senderCompId: 'XNYS', targetCompId: 'OMS', store: store('venue') }] },
    {
      fromApp: (message, session) => {
        const order = fix44.readNewOrderSingle(message);
        if (!order.ok) return;
        const v = order.value;
        session.send(
          fix44.executionReport({
            orderId: v.clOrdId,
            clOrdId: v.clOrdId,
            execId: `E${v.clOrdId}`,
            execType: 'TRADE',
            ordStatus: 'FILLED',
            symbol: v.symbol,
            side: v.side,
            lastQty: v.orderQty,
            lastPx: v.price!,
            leavesQty: '0',
            cumQty: v.orderQty,
            avgPx: v.price!,
            transactTime: new Date(),
          }),
        );
      },
    },
  );
  await acceptor.start();
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let next = 0;
  const initiator = new FixInitiator(
    { host: '127.0.0.1', port: acceptor.port, senderCompId: 'OMS', targetCompId: 'XNYS', heartBtIntSeconds: 30, store: store('oms') },
    {
      fromApp: (message) => {
        // Read as the execution adapter reads it.
        const parsed = fix44.readExecutionReport(message);
        if (!parsed.ok) throw new Error(parsed.reason);
        const id = parsed.value.clOrdId;
        latencies.push(performance.now() - sentAt.get(id)!);
        if (latencies.length === orders) done();
        else if (next < orders) send();
      },
    },
  );
  const send = () => {
    const id = `C${next++}`;
    sentAt.set(id, performance.now());
    initiator.session.send(
      fix44.newOrderSingle({
        clOrdId: id,
        symbol: 'AAPL',
        side: 'BUY',
        orderQty: '100',
        ordType: 'LIMIT',
        price: '150.25',
        timeInForce: 'DAY',
        transactTime: new Date(),
      }),
    );
  };
  await initiator.start();
  await initiator.session.loggedOn();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const { bytes, gcs } = await allocated(async () => {
    for (let i = 0; i < inFlight; i++) send();
    await finished;
  });
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuUsPerOrder = (used.user + used.system) / orders;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.floor(q * (latencies.length - 1))]!.toFixed(3);
  console.log(
    `session round trip over loopback TCP, ${kind} stores: ${orders} orders, ${inFlight} in flight: ${(orders / seconds).toFixed(0)} orders/s, ` +
      `CPU ${cpuUsPerOrder.toFixed(1)} us/order (both sides), ${(bytes / orders / 1024).toFixed(1)} KB/order allocated, ${gcs} GCs, latency ms p50 ${at(0.5)} p99 ${at(0.99)} p99.9 ${at(0.999)}`,
  );
  await initiator.stop();
  await acceptor.stop();
  rmSync(dir, { recursive: true, force: true });
}

for (const kind of values.stores.split(',')) await roundTrip(kind);
