import { useCallback, useState } from 'react';
import { cancelOrder } from './api/client.js';
import type { Order } from './api/types.js';
import { Blotter } from './blotter/Blotter.js';
import { useOrders, type Connection } from './blotter/use-orders.js';
import { OrderDetail } from './detail/OrderDetail.js';
import { OrderTicket } from './ticket/OrderTicket.js';

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'connecting…',
  live: 'live',
  down: 'stream down, reconnecting…',
  'login-required': 'login required',
};

/** The blotter's accounts at start: `?accounts=A,B` in the address, else the walkthrough's account. */
const initialAccounts = (): string[] => (new URLSearchParams(location.search).get('accounts') ?? 'ACC-12345').split(',').map((a) => a.trim()).filter(Boolean);

export function App() {
  const [accounts, setAccounts] = useState(initialAccounts);
  const { orders, connection, upsert } = useOrders(accounts);
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const selected = orders.find((o) => o.orderId === selectedId);

  const onSubmitted = useCallback(
    (order: Order) => {
      upsert(order);
      // Orders of an account not yet followed: read its list too (the stream already carries its updates).
      setAccounts((now) => (now.includes(order.accountId) ? now : [...now, order.accountId]));
    },
    [upsert],
  );
  const onCancel = useCallback((order: Order) => {
    cancelOrder(order.orderId).then(
      () => setNotice(`Cancel requested for ${order.clientOrderId}`),
      (e: unknown) => setNotice(`Cancel of ${order.clientOrderId} refused: ${e instanceof Error ? e.message : String(e)}`),
    );
  }, []);

  if (connection === 'login-required') {
    return (
      <main className="login-required" role="alert">
        <h1>OMS-SOR blotter</h1>
        <p>
          <strong>Login required.</strong> This server checks bearer tokens (AUTH_MODE=oidc), and the blotter cannot sign in yet: the OIDC login
          (authorization code with PKCE) is still to be built. Use the API with a token meanwhile (README, Access control), or run in dev mode.
        </p>
      </main>
    );
  }

  return (
    <div className="app">
      <header>
        <h1>OMS-SOR blotter</h1>
        <span className={`connection ${connection}`} data-connection={connection}>
          {CONNECTION_TEXT[connection]}
        </span>
        <span className="accounts">accounts: {accounts.join(', ')}</span>
        {notice && (
          <span className="notice" role="status">
            {notice}
          </span>
        )}
      </header>
      <OrderTicket onSubmitted={onSubmitted} />
      <Blotter orders={orders} selectedId={selectedId} onSelect={(o) => setSelectedId(o.orderId)} onCancel={onCancel} />
      {selected && <OrderDetail order={selected} onClose={() => setSelectedId(undefined)} />}
    </div>
  );
}
