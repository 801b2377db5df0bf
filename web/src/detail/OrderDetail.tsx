import { useEffect, useState } from 'react';
import { orderDetails } from '../api/client.js';
import type { Order, OrderDetails } from '../api/types.js';
import { OrderQualityLine } from './OrderQualityLine.js';
import { RoutingDecision } from './RoutingDecision.js';

/** The selected order from GET /api/v1/orders/{id}: the routing decisions, its execution quality, its children per venue, fills and history; read again at each new version. */
export function OrderDetail({ order, onClose }: { order: Order; onClose(): void }) {
  const [details, setDetails] = useState<OrderDetails | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let current = true;
    orderDetails(order.orderId).then(
      (d) => current && (setDetails(d), setError(undefined)),
      (e: unknown) => current && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      current = false;
    };
  }, [order.orderId, order.version, order.status]);

  const shown = details?.orderId === order.orderId ? details : undefined;
  return (
    <aside className="detail" aria-label="Order detail">
      <div className="detail-head">
        <h2>
          {order.side} {order.quantity} {order.symbol} {order.orderType === 'LIMIT' ? `@ ${order.limitPrice}` : 'MKT'} · {order.status}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close detail">
          ×
        </button>
      </div>
      <p className="ids">
        {order.orderId} · {order.clientOrderId} · {order.accountId} · {order.timeInForce} · strategy {order.strategy ?? 'default'}
      </p>
      {order.rejectReason && <p className="reject">{order.rejectReason}</p>}
      {error && <p className="reject">{error}</p>}
      {shown && (
        <>
          <h3>Routing decision</h3>
          <RoutingDecision children={shown.children} />
          <h3>Execution quality</h3>
          <OrderQualityLine quality={shown.executionQuality} />
          <h3>Child orders ({shown.children.length})</h3>
          <table aria-label="Child orders">
            <thead>
              <tr>
                <th>Venue</th>
                <th>Type</th>
                <th>TIF</th>
                <th>Qty</th>
                <th>Limit</th>
                <th>Route</th>
                <th>Status</th>
                <th>Filled</th>
                <th>Leaves</th>
              </tr>
            </thead>
            <tbody>
              {shown.children.map((c) => (
                <tr key={c.childOrderId}>
                  <td>{c.venue}</td>
                  <td>{c.orderType}</td>
                  <td>{c.timeInForce}</td>
                  <td>{c.quantity}</td>
                  <td>{c.limitPrice ?? ''}</td>
                  <td>{c.routeAttempt}</td>
                  <td>{c.status}</td>
                  <td>{c.filledQuantity}</td>
                  <td>{c.leavesQuantity}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Fills ({shown.fills.length})</h3>
          <table aria-label="Fills">
            <thead>
              <tr>
                <th>Time</th>
                <th>Venue</th>
                <th>Qty</th>
                <th>Price</th>
                <th>Exec id</th>
              </tr>
            </thead>
            <tbody>
              {shown.fills.map((f) => (
                <tr key={`${f.venue}:${f.execId}`}>
                  <td>{f.occurredAt.slice(11, 23)}</td>
                  <td>{f.venue}</td>
                  <td>{f.quantity}</td>
                  <td>{f.price}</td>
                  <td>{f.execId}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>History</h3>
          <table aria-label="History">
            <thead>
              <tr>
                <th>#</th>
                <th>Time</th>
                <th>Event</th>
                <th>Status</th>
                <th>Source</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {shown.events.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>{e.occurredAt.slice(11, 23)}</td>
                  <td>{e.eventType}</td>
                  <td>{e.status}</td>
                  <td>{e.source}</td>
                  <td className="json">{JSON.stringify(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </aside>
  );
}
