import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { RiskDecision } from '../../domain/risk/pre-trade.js';
import { ORDER_ATTRIBUTES as A, ORDER_SPANS } from '../../ports/order-tracing.js';
import { tracedOrders, type TracedOrders } from '../observability/traced-orders.js';

/**
 * gRPC metadata of a CheckOrders call: `traceparent` is its first traced order's (what any gRPC
 * tool reads); a call checks a batch of orders, each of its own trace, so this one lists every
 * order's traceparent in request order ('-' for an order not traced).
 */
export const ORDER_TRACEPARENTS = 'oms-order-traceparents';

export interface TracedRiskCall {
  readonly headers: Record<string, string>;
  end(decisions: readonly RiskDecision[] | undefined, error?: unknown): void;
}

/** oms-core's side: a CLIENT span per traced order of a call, under its order's trace. Undefined when none is traced. */
export function traceRiskCall(tracer: Tracer, orderIds: readonly string[], orders: TracedOrders = tracedOrders): TracedRiskCall | undefined {
  const spans: (Span | undefined)[] = orderIds.map((orderId) => {
    const order = orders.get(orderId);
    return (
      order &&
      tracer.startSpan(
        ORDER_SPANS.riskCheck,
        { kind: SpanKind.CLIENT, attributes: { [A.orderId]: orderId, 'rpc.system': 'grpc', 'rpc.method': 'CheckOrders' } },
        order,
      )
    );
  });
  if (!spans.some(Boolean)) return undefined;
  const parents = spans.map((span) => {
    if (!span) return '-';
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
    return carrier.traceparent ?? '-';
  });
  return {
    headers: { traceparent: parents.find((p) => p !== '-')!, [ORDER_TRACEPARENTS]: parents.join(',') },
    end(decisions, error) {
      spans.forEach((span, i) => {
        if (!span) return;
        const decision = decisions?.[i];
        if (decision) span.setAttributes(decisionAttributes(decision));
        else span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        span.end();
      });
    },
  };
}

/** risk-service's side: the check of the call's `index`th order, in a SERVER span that continues the order's trace. */
export async function traceRiskCheck(
  tracer: Tracer,
  header: Headers,
  index: number,
  orderId: string,
  check: () => Promise<RiskDecision>,
): Promise<RiskDecision> {
  const traceparent = header.get(ORDER_TRACEPARENTS)?.split(',')[index]?.trim() ?? header.get('traceparent') ?? '-';
  if (traceparent === '-') return check();
  const parent = propagation.extract(ROOT_CONTEXT, { traceparent });
  const span = tracer.startSpan(
    ORDER_SPANS.riskCheck,
    { kind: SpanKind.SERVER, attributes: { [A.orderId]: orderId, 'rpc.system': 'grpc', 'rpc.method': 'CheckOrders' } },
    parent,
  );
  try {
    // Active while deciding: the decision's log lines carry the order's trace.
    const decision = await context.with(trace.setSpan(parent, span), check);
    span.setAttributes(decisionAttributes(decision));
    return decision;
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

const decisionAttributes = (decision: RiskDecision) => (decision.approved ? { [A.approved]: true } : { [A.approved]: false, [A.rejectCode]: decision.code });
