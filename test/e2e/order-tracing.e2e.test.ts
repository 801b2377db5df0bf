import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../../src/adapters/observability/tracing.js';
import { ORDER_ATTRIBUTES as A, ORDER_SPANS } from '../../src/ports/order-tracing.js';
import { isFinal, postOrder, startTestSystem, waitForOrder } from '../support/embedded.js';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let system: Awaited<ReturnType<typeof startTestSystem>>;

beforeAll(async () => {
  // Registered before the system starts, as main.ts does; no endpoint needed with an exporter given.
  tracing = startTracing({ wanted: false, serviceName: 'oms-test', exporter })!;
  system = await startTestSystem({}, { tracer: tracing.tracer });
});

afterAll(async () => {
  await system?.cleanUp();
  await tracing?.shutdown();
});

const startNs = (span: ReadableSpan): bigint => BigInt(span.startTime[0]) * 1_000_000_000n + BigInt(span.startTime[1]);

/** The order's spans once the last expected one (its final status published) has ended. */
async function spansOf(orderId: string, done: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const spans = exporter.getFinishedSpans().filter((s) => s.attributes[A.orderId] === orderId);
    if (done(spans) || Date.now() > deadline) return spans.sort((a, b) => (startNs(a) < startNs(b) ? -1 : 1));
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('one trace per order (embedded mode)', () => {
  it('covers a MARKET order from its HTTP request to its final status, in order, with its ids', async () => {
    const clientOrderId = `TRACE-${Math.random().toString(36).slice(2)}`;
    const { status, json } = await postOrder(system.url, {
      clientOrderId,
      accountId: 'ACC-TRACE',
      symbol: 'AAPL',
      side: 'BUY',
      orderType: 'MARKET',
      quantity: 100,
      timeInForce: 'DAY',
    });
    expect(status).toBe(201);
    const orderId = json.orderId as string;
    const final = await waitForOrder(system.url, orderId, isFinal);
    expect(final.status).toBe('FILLED');

    const published = (spans: ReadableSpan[]) => spans.some((s) => s.name === ORDER_SPANS.statusPublished && s.attributes[A.status] === 'FILLED');
    const spans = await spansOf(orderId, published);
    expect(published(spans)).toBe(true);

    // One trace, rooted at the HTTP request's server span.
    const http = spans.find((s) => s.name === 'POST /api/v1/orders');
    expect(http).toBeDefined();
    expect(http!.parentSpanContext).toBeUndefined();
    const traceId = http!.spanContext().traceId;
    for (const span of spans) expect(span.spanContext().traceId).toBe(traceId);
    for (const span of spans.filter((s) => s !== http)) expect(span.parentSpanContext?.spanId).toBe(http!.spanContext().spanId);

    // Every step, in the order the order went through them.
    const first = (name: string, where: (s: ReadableSpan) => boolean = () => true) => spans.findIndex((s) => s.name === name && where(s));
    const steps = [
      first('POST /api/v1/orders'),
      first(ORDER_SPANS.riskCheck),
      first(ORDER_SPANS.route),
      first(ORDER_SPANS.newOrderSingle),
      first(ORDER_SPANS.executionReport),
      first(ORDER_SPANS.fillApplied),
      first(ORDER_SPANS.statusPublished, (s) => s.attributes[A.status] === 'FILLED'),
    ];
    for (const index of steps) expect(index).toBeGreaterThanOrEqual(0);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);

    // The ids as attributes: the order's on every span, ClOrdID and venue on the venue's steps.
    for (const span of spans) expect(span.attributes).toMatchObject({ [A.orderId]: orderId, [A.clientOrderId]: clientOrderId, [A.accountId]: 'ACC-TRACE' });
    expect(spans.find((s) => s.name === ORDER_SPANS.riskCheck)!.attributes[A.approved]).toBe(true);
    const sent = spans.filter((s) => s.name === ORDER_SPANS.newOrderSingle);
    expect(sent.map((s) => s.attributes[A.clOrdId]).sort()).toEqual(final.children!.map((c) => c.childOrderId).sort());
    for (const span of sent) expect(final.children!.map((c) => c.venue)).toContain(span.attributes[A.venue]);
    const fills = spans.filter((s) => s.name === ORDER_SPANS.fillApplied);
    expect(fills.map((s) => s.attributes[A.execId]).sort()).toEqual(final.fills!.map((f) => f.execId).sort());
    for (const span of spans.filter((s) => s.name === ORDER_SPANS.executionReport)) expect(span.attributes[A.venue]).toBeTypeOf('string');
  });
});
