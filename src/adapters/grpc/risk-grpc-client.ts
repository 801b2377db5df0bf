import { connect } from 'node:net';
import type { Tracer } from '@opentelemetry/api';
import { createClient, type Client } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import type { Order } from '../../domain/order/order.js';
import type { RiskDecision } from '../../domain/risk/pre-trade.js';
import { toSnapshot } from '../../domain/order/snapshot.js';
import { RiskService } from '../../gen/oms/v1/risk_pb.js';
import type { PreTradeRisk } from '../../ports/pre-trade-risk.js';
import { orderToProto } from './order-grpc-messages.js';
import { decisionFromProto } from './risk-messages.js';
import { traceRiskCall } from './risk-call-tracing.js';
import { serviceCredentialsInterceptor, type ServiceCredentials } from './service-auth.js';

export interface RiskGrpcClientOptions {
  /** risk-service's gRPC address, e.g. http://risk-service:50054. */
  readonly baseUrl: string;
  /** Deadline of one check; default 2 s. */
  readonly timeoutMs?: number;
  /** oms-core's service token for risk-service; none only where risk-service asks for none (dev mode). */
  readonly credentials: ServiceCredentials | undefined;
  /** Tracing on: each call carries its orders' trace context in its metadata. */
  readonly tracer?: Tracer;
}

/**
 * PreTradeRisk over gRPC, for oms-core in distributed mode. Any failure (UNAVAILABLE,
 * DEADLINE_EXCEEDED, an answer it cannot read) throws a ConnectError or Error, so the caller's
 * batch fails and is redelivered: an order is never approved without a decision.
 */
export class RiskGrpcClient implements PreTradeRisk {
  private readonly sessions: Http2SessionManager;
  private readonly client: Client<typeof RiskService>;
  private readonly timeoutMs: number;
  private readonly tracer: Tracer | undefined;
  private pending: { order: Order; resolve: (decision: RiskDecision) => void; reject: (error: unknown) => void }[] = [];

  constructor(options: RiskGrpcClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.tracer = options.tracer;
    // Owned here so stop() can close the HTTP/2 connection, which would otherwise keep the process alive.
    // TCP_NODELAY: a unary call is a few small frames; Nagle with delayed ACKs adds ~40 ms to each.
    this.sessions = new Http2SessionManager(options.baseUrl, undefined, {
      createConnection: (authority: URL) => connect({ host: authority.hostname, port: Number(authority.port), noDelay: true }),
    });
    const interceptors = options.credentials ? [serviceCredentialsInterceptor(options.credentials)] : [];
    this.client = createClient(RiskService, createGrpcTransport({ baseUrl: options.baseUrl, sessionManager: this.sessions, interceptors }));
  }

  /**
   * Checks asked in the same turn of the event loop (oms-core asks for a whole consumed batch at
   * once) go out as one CheckOrders call, in the order asked: one round trip, and risk-service
   * decides them as a batch. Any failure fails every check of the call.
   */
  check(order: Order): Promise<RiskDecision> {
    return new Promise((resolve, reject) => {
      this.pending.push({ order, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const calls = this.pending.splice(0);
    const traced =
      this.tracer &&
      traceRiskCall(
        this.tracer,
        calls.map((c) => c.order.orderId),
      );
    try {
      const response = await this.client.checkOrders(
        { orders: calls.map((c) => orderToProto(toSnapshot(c.order))) },
        { timeoutMs: this.timeoutMs, headers: traced?.headers },
      );
      if (response.decisions.length !== calls.length)
        throw new Error(`risk-service answered ${response.decisions.length} decisions for ${calls.length} orders`);
      // Read them all first: an answer that cannot be read fails the whole call, approving nothing.
      const decisions = response.decisions.map(decisionFromProto);
      traced?.end(decisions);
      calls.forEach((call, i) => call.resolve(decisions[i]!));
    } catch (error) {
      traced?.end(undefined, error);
      for (const call of calls) call.reject(error);
    }
  }

  async stop(): Promise<void> {
    this.sessions.abort();
  }
}
