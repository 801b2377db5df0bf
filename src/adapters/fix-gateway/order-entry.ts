import { isEntitled } from '../../domain/access/principal.js';
import type { OrderSnapshot } from '../../domain/events/messages.js';
import { formatDecimal, parseDecimal } from '../../domain/money/price.js';
import { ID_MAX_LENGTH } from '../../domain/order/validation.js';
import { fix44, MsgType, Tag, type FixMessage, type FixSession } from '../../fix/index.js';
import type { AmendmentResult, OrderAmendments, OrderSubmission, SubmitResult } from '../../ports/order-entry.js';
import type { ClientSession } from './client-session.js';
import { fixOrdStatus, statusReport, type PendingRequest, type TrackedOrder } from './execution-reports.js';
import { cancelBody, fieldErrorsText, missingRequired, newOrderBody, replaceBody, tagLabel, unchangeableTerms, type SessionRefusal } from './translate.js';

/** What the order-entry handlers need of the gateway and of oms-ingest. */
export interface OrderEntryDeps {
  readonly ingest: Pick<OrderSubmission, 'submit'>;
  readonly amendments: Pick<OrderAmendments, 'requestCancel' | 'requestReplace'>;
  readonly orderStatus: (orderId: string) => Promise<OrderSnapshot | null>;
  /**
   * Claims the order the OMS will publish for (account, clientOrderId) for this client, who knows it
   * by `clOrdId`; returns the release.
   */
  readonly expect: (client: ClientSession, accountId: string, clientOrderId: string, clOrdId: string) => () => void;
  /** The order as reported so far, while it is working (or a cancel or replace of it pending). */
  readonly tracked: (orderId: string) => TrackedOrder | undefined;
  /** Makes a stored order this client's, known by `clOrdId`, and reports it from its current state (a resent order after a crash). */
  readonly adopt: (client: ClientSession, orderId: string, clOrdId: string) => Promise<void>;
  /** Before each message: a new FIX day (sequence series) frees ended orders' ClOrdIDs and restates working orders. */
  readonly renewSeries: (client: ClientSession) => void;
  readonly now: () => Date;
}

/**
 * A client's NewOrderSingle, OrderCancelRequest, OrderCancelReplaceRequest and OrderStatusRequest
 * as the REST API's commands (the same services, so the same validation, idempotency and risk).
 * What happens next reaches the client as ExecutionReports from committed order states.
 */
export class OrderEntry {
  constructor(private readonly deps: OrderEntryDeps) {}

  handle(client: ClientSession, message: FixMessage, session: FixSession): Promise<void> | void {
    this.deps.renewSeries(client);
    switch (message.msgType) {
      case MsgType.NewOrderSingle:
        // Not queued: its durable write is shared with the orders after it (group commit).
        return this.newOrder(client, message, session);
      case MsgType.OrderCancelRequest:
      case MsgType.OrderCancelReplaceRequest:
        return client.inTurn(() => this.amend(client, message, session));
      case MsgType.OrderStatusRequest:
        return client.inTurn(async () => this.status(client, message, session));
      default:
        session.send(
          fix44.businessMessageReject({
            refSeqNum: message.seqNum ?? 0,
            refMsgType: message.msgType,
            reason: fix44.BusinessRejectReason.UnsupportedMessageType,
            text: `message type ${message.msgType} not supported`,
          }),
        );
    }
  }

  /** Checks the order at once, then stores it; the client's later messages do not wait for the write. */
  private newOrder(client: ClientSession, message: FixMessage, session: FixSession): Promise<void> | void {
    const translated = newOrderBody(message, client.defaultAccount);
    if (!translated.ok) return sessionReject(session, message, translated.refusal);
    const body = translated.value;
    const clOrdId = String(body.clientOrderId);
    if (client.used(clOrdId)) {
      // A resent copy of an order we hold (or are storing): its state, not a second order.
      if (message.get(Tag.PossDupFlag) === 'Y')
        return client.orderIdOf(clOrdId).then((orderId) => (orderId ? this.sendStatus(orderId, clOrdId, message, session) : undefined));
      return this.rejectDuplicate(message, session, `${tagLabel(Tag.ClOrdID)}: ${clOrdId} was used by this session already`);
    }
    const account = body.accountId;
    if (typeof account === 'string' && !isEntitled(client.principal, account)) {
      return void session.send(
        fix44.executionReport(
          fix44.notStoredReject(message, {
            ordRejReason: fix44.OrdRejReason.UnknownAccount,
            text: `${tagLabel(Tag.Account)}: this session may not trade account ${account}`,
            at: this.deps.now(),
          }),
        ),
      );
    }
    const stored = this.store(client, message, session, body, clOrdId);
    client.inFlight.set(
      clOrdId,
      stored.then(
        () => client.orders.get(clOrdId),
        () => undefined,
      ),
    );
    const landed = () => void client.inFlight.delete(clOrdId);
    stored.then(landed, landed);
    return stored;
  }

  /**
   * Stores the order under the client's ClOrdID as its clientOrderId. When the account holds that
   * clientOrderId from an earlier FIX day (sequence series), the ClOrdID is free again for this
   * session: the order is stored under the ClOrdID qualified by the day, and reported under the
   * client's own.
   */
  private async store(client: ClientSession, message: FixMessage, session: FixSession, body: Record<string, unknown>, clOrdId: string): Promise<void> {
    let stored = await this.submit(client, message, session, body, clOrdId);
    const seriesStart = client.seriesStart();
    if (stored && !stored.created && stored.order.createdAt < seriesStart) {
      const dayScoped = dayScopedClientOrderId(clOrdId, seriesStart);
      if (dayScoped.length > ID_MAX_LENGTH) {
        return this.rejectDuplicate(
          message,
          session,
          `${tagLabel(Tag.ClOrdID)}: ${clOrdId} was used on an earlier day; to use it again it may have at most ${ID_MAX_LENGTH - (dayScoped.length - clOrdId.length)} characters`,
        );
      }
      stored = await this.submit(client, message, session, { ...body, clientOrderId: dayScoped }, clOrdId);
    }
    if (!stored) return;
    if (stored.created) return void client.orders.set(clOrdId, stored.order.orderId);
    // A resent copy (43=Y) of an order stored just before a crash lost what the session knew: it is this client's.
    if (message.get(Tag.PossDupFlag) === 'Y') return this.deps.adopt(client, stored.order.orderId, clOrdId);
    // The account already holds an order with this ClOrdID that this session did not send today.
    this.rejectDuplicate(message, session, `${tagLabel(Tag.ClOrdID)}: account ${stored.order.accountId} holds an order with ClOrdID ${clOrdId} already`);
  }

  /** Submits with the OMS's first state of the order claimed for this client; answers the client itself when nothing was stored. */
  private async submit(
    client: ClientSession,
    message: FixMessage,
    session: FixSession,
    body: Record<string, unknown>,
    clOrdId: string,
  ): Promise<Extract<SubmitResult, { kind: 'accepted' }> | undefined> {
    const account = body.accountId;
    const release = typeof account === 'string' ? this.deps.expect(client, account, String(body.clientOrderId), clOrdId) : () => undefined;
    let result: SubmitResult;
    try {
      result = await this.deps.ingest.submit(body);
    } catch (error) {
      release();
      // Not stored (the journal cannot write): the client may send it again with the same ClOrdID.
      session.send(
        fix44.executionReport(
          fix44.notStoredReject(message, {
            ordRejReason: fix44.OrdRejReason.Other,
            text: `not stored (${error instanceof Error ? error.message : String(error)}); send it again with the same ClOrdID`,
            at: this.deps.now(),
          }),
        ),
      );
      return undefined;
    }
    if (result.kind === 'invalid') {
      release();
      session.send(
        fix44.executionReport(
          fix44.notStoredReject(message, { ordRejReason: fix44.OrdRejReason.Other, text: fieldErrorsText(result.errors), at: this.deps.now() }),
        ),
      );
      return undefined;
    }
    if (!result.created) release();
    return result;
  }

  private rejectDuplicate(message: FixMessage, session: FixSession, text: string): void {
    session.send(fix44.executionReport(fix44.notStoredReject(message, { ordRejReason: fix44.OrdRejReason.DuplicateOrder, text, at: this.deps.now() })));
  }

  private async amend(client: ClientSession, message: FixMessage, session: FixSession): Promise<void> {
    const isReplace = message.msgType === MsgType.OrderCancelReplaceRequest;
    const translated = isReplace ? replaceBody(message) : cancelBody(message);
    if (!translated.ok) return sessionReject(session, message, translated.refusal);
    const clOrdId = message.get(Tag.ClOrdID)!;
    const origClOrdId = message.get(Tag.OrigClOrdID)!;
    const responseTo = isReplace ? 'REPLACE' : 'CANCEL';
    const refuse = (ordStatus: fix44.FixOrdStatus, reason: string, text: string, orderId = 'NONE') =>
      void session.send(fix44.orderCancelReject({ orderId, clOrdId, origClOrdId, ordStatus, responseTo, reason, text }));
    if (client.used(clOrdId))
      return refuse('REJECTED', fix44.CxlRejReason.DuplicateClOrdID, `${tagLabel(Tag.ClOrdID)}: ${clOrdId} was used by this session already`);
    const named = await this.orderNamed(client, message);
    if (!named.ok) return refuse('REJECTED', named.reason, named.text);
    const orderId = named.orderId;
    const tracked = this.deps.tracked(orderId);
    if (tracked?.pending)
      return refuse(
        fixOrdStatus(tracked.reportedStatus ?? 'NEW'),
        fix44.CxlRejReason.AlreadyPending,
        `a ${tracked.pending.kind === 'CANCEL' ? 'cancel' : 'replace'} of ${origClOrdId} is pending already`,
        orderId,
      );
    if (isReplace) {
      // The OMS replaces quantity and price only: a new Side, OrdType or TimeInForce is refused, not ignored.
      const current = await this.deps.orderStatus(orderId);
      const unchangeable = current ? unchangeableTerms(message, current) : undefined;
      if (current && unchangeable) return refuse(fixOrdStatus(current.status), fix44.CxlRejReason.Other, unchangeable, orderId);
    }
    const body = translated.value;
    const pending: PendingRequest = { kind: responseTo, clOrdId, origClOrdId, acknowledged: false, ...termsOf(body) };
    // Before the request: the OMS may publish its PENDING state before the call returns.
    if (tracked) tracked.pending = pending;
    const requester = { requestedBy: client.principal.subject, source: 'fix' };
    const visible = (order: OrderSnapshot) => isEntitled(client.principal, order.accountId);
    let result: AmendmentResult;
    try {
      result = isReplace
        ? await this.deps.amendments.requestReplace(orderId, body, requester, visible)
        : await this.deps.amendments.requestCancel(orderId, requester, visible);
    } catch (error) {
      if (tracked?.pending === pending) tracked.pending = undefined;
      return refuse('REJECTED', fix44.CxlRejReason.Other, `not stored (${error instanceof Error ? error.message : String(error)}); send it again`, orderId);
    }
    if (result.kind === 'accepted') return void client.orders.set(clOrdId, orderId);
    if (tracked?.pending === pending) tracked.pending = undefined;
    if (result.kind === 'not-found')
      return refuse('REJECTED', fix44.CxlRejReason.UnknownOrder, `${tagLabel(Tag.OrigClOrdID)}: no order ${origClOrdId} in this session`);
    if (result.kind === 'not-working')
      return refuse(fixOrdStatus(result.order.status), fix44.CxlRejReason.TooLateToCancel, `the order is ${result.order.status}`, orderId);
    const order = await this.deps.orderStatus(orderId);
    return refuse(order ? fixOrdStatus(order.status) : 'REJECTED', fix44.CxlRejReason.Other, fieldErrorsText(result.errors), orderId);
  }

  /**
   * The order a cancel or replace names: by OrigClOrdID (41) among the session's ClOrdIDs, and by
   * OrderID (37) when given, which must be an order of this session (one it sent or adopted) and,
   * when 41 is known too, the same one. Another session's OrderID is unknown here, as its ClOrdIDs are.
   */
  private async orderNamed(
    client: ClientSession,
    message: FixMessage,
  ): Promise<{ readonly ok: true; readonly orderId: string } | { readonly ok: false; readonly reason: string; readonly text: string }> {
    const origClOrdId = message.get(Tag.OrigClOrdID)!;
    const byClOrdId = await client.orderIdOf(origClOrdId);
    const orderId = message.get(Tag.OrderID);
    if (orderId === undefined || orderId === '') {
      return byClOrdId
        ? { ok: true, orderId: byClOrdId }
        : { ok: false, reason: fix44.CxlRejReason.UnknownOrder, text: `${tagLabel(Tag.OrigClOrdID)}: no order ${origClOrdId} in this session` };
    }
    if (!client.orders.hasOrder(orderId)) {
      return { ok: false, reason: fix44.CxlRejReason.UnknownOrder, text: `${tagLabel(Tag.OrderID)}: no order ${orderId} in this session` };
    }
    if (byClOrdId && byClOrdId !== orderId) {
      return {
        ok: false,
        reason: fix44.CxlRejReason.Other,
        text: `${tagLabel(Tag.OrderID)} ${orderId} and ${tagLabel(Tag.OrigClOrdID)} ${origClOrdId} name different orders (${origClOrdId} is order ${byClOrdId})`,
      };
    }
    return { ok: true, orderId };
  }

  private async status(client: ClientSession, message: FixMessage, session: FixSession): Promise<void> {
    const missing = missingRequired(message, 'H');
    if (missing) return sessionReject(session, message, missing);
    const clOrdId = message.get(Tag.ClOrdID)!;
    // By ClOrdID, or by OrderID (37) when the ClOrdID is not known here but the order is this session's.
    const named = message.get(Tag.OrderID);
    const orderId = (await client.orderIdOf(clOrdId)) ?? (named && client.orders.hasOrder(named) ? named : undefined);
    if (!orderId)
      return void session.send(
        fix44.executionReport(
          echoStatusReqId(
            message,
            fix44.notStoredReject(message, {
              execType: 'ORDER_STATUS',
              ordRejReason: fix44.OrdRejReason.UnknownOrder,
              text: `${tagLabel(Tag.ClOrdID)}: no order ${clOrdId} in this session`,
              at: this.deps.now(),
            }),
          ),
        ),
      );
    return this.sendStatus(orderId, clOrdId, message, session);
  }

  /**
   * The order's state as ExecType I: a status request's answer (its OrdStatusReqID echoed), or a
   * resent order's; under its current ClOrdID while it works, else the one the client named.
   */
  private async sendStatus(orderId: string, clOrdId: string, message: FixMessage, session: FixSession): Promise<void> {
    const order = await this.deps.orderStatus(orderId);
    if (!order)
      return void session.send(
        fix44.executionReport(
          echoStatusReqId(
            message,
            fix44.notStoredReject(message, {
              execType: 'ORDER_STATUS',
              ordRejReason: fix44.OrdRejReason.UnknownOrder,
              text: 'unknown order',
              at: this.deps.now(),
            }),
          ),
        ),
      );
    const at = this.deps.now();
    const report = statusReport(order, this.deps.tracked(orderId)?.clOrdId ?? clOrdId, `${orderId}-S${message.seqNum ?? 0}-${at.getTime()}`, at);
    session.send(fix44.executionReport(echoStatusReqId(message, report)));
  }
}

/**
 * The clientOrderId of an order whose ClOrdID the account holds from an earlier FIX day: the
 * ClOrdID, then the start of this day's sequence series (UTC, to the millisecond), e.g.
 * `ORD-7:20261204-000000.000`. The same on a resend after a restart, so still idempotent.
 */
export function dayScopedClientOrderId(clOrdId: string, seriesStart: Date): string {
  const iso = seriesStart.toISOString(); // 2026-12-04T00:00:00.000Z
  return `${clOrdId}:${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 23).replaceAll(':', '')}`;
}

/** OrdStatusReqID (790) of the OrderStatusRequest a report answers, echoed as FIX 4.4 asks. */
function echoStatusReqId(message: FixMessage, report: fix44.ExecutionReport): fix44.ExecutionReport {
  const ordStatusReqId = message.get(Tag.OrdStatusReqID);
  return ordStatusReqId ? { ...report, ordStatusReqId } : report;
}

/** A replace's requested terms, to know the order carries them once replaced. */
function termsOf(body: Record<string, unknown>): Pick<PendingRequest, 'quantity' | 'limitPrice'> {
  const terms: { quantity?: number; limitPrice?: string | null } = {};
  if (typeof body.quantity === 'number') terms.quantity = body.quantity;
  const price = typeof body.limitPrice === 'string' ? parseDecimal(body.limitPrice) : undefined;
  if (price !== undefined) terms.limitPrice = formatDecimal(price);
  return terms;
}

/** Session-level Reject (35=3) naming the tag, fields in QuickFIX's order. */
function sessionReject(session: FixSession, message: FixMessage, refusal: SessionRefusal): void {
  session.send({
    msgType: MsgType.Reject,
    body: [
      [Tag.RefSeqNum, String(message.seqNum ?? 0)],
      [Tag.Text, refusal.text],
      [Tag.RefTagID, String(refusal.tag)],
      [Tag.RefMsgType, message.msgType],
      [Tag.SessionRejectReason, String(refusal.reason)],
    ],
  });
}
