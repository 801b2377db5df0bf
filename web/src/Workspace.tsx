import { useCallback, useMemo, useState } from 'react';
import { accessToken, forgetToken } from './api/access-token.js';
import { cancelOrder } from './api/client.js';
import { ALL_ACCOUNTS, type Me, type Order } from './api/types.js';
import { Blotter } from './blotter/Blotter.js';
import type { RowActions } from './blotter/columns.js';
import { ReplaceForm } from './blotter/ReplaceForm.js';
import { useOrders, type Connection } from './blotter/use-orders.js';
import { OrderDetail } from './detail/OrderDetail.js';
import { LoginRequired } from './LoginRequired.js';
import { MarketView } from './market/MarketView.js';
import { PositionsView } from './positions/PositionsView.js';
import { QualityView } from './quality/QualityView.js';
import { RiskView } from './risk/RiskView.js';
import { isRiskOfficer, mayCancel, mayTrade } from './session/use-session.js';
import { OrderTicket } from './ticket/OrderTicket.js';
import { useShortcuts } from './lib/use-shortcuts.js';

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'connecting…',
  live: 'live',
  down: 'stream down, reconnecting…',
  'login-required': 'login required',
};

const VIEW_NAMES: Record<View, string> = { orders: 'Orders', market: 'Market', positions: 'Positions', quality: 'Execution quality', risk: 'Risk' };

/** The walkthrough's account: where a user entitled to every account starts. */
const WALKTHROUGH_ACCOUNT = 'ACC-12345';

/** The accounts the user is entitled to by name (none when it may see every account). */
const namedAccounts = (me: Me): string[] => me.accounts.filter((a) => a !== ALL_ACCOUNTS);

/** The blotter's accounts at start: `?accounts=A,B` in the address, else the user's own, else the walkthrough's. */
function initialAccounts(me: Me): string[] {
  const asked = new URLSearchParams(location.search).get('accounts');
  if (asked)
    return asked
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
  const named = namedAccounts(me);
  return named.length > 0 ? named : [WALKTHROUGH_ACCOUNT];
}

type View = 'orders' | 'market' | 'positions' | 'quality' | 'risk';

/** Every role reads orders, markets and positions; the risk view is the risk officers' only. */
const COMMON_VIEWS: readonly View[] = ['orders', 'market', 'positions', 'quality'];

/**
 * The desk: the orders view (the ticket for traders only, the live blotter with cancel and replace
 * for traders only, the order detail), the market, positions and execution quality, and, for risk
 * officers, the risk view. The order stream stays open in every view.
 */
export function Workspace({ me }: { me: Me }) {
  const [accounts, setAccounts] = useState(() => initialAccounts(me));
  const { orders, connection, upsert } = useOrders(accounts);
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const selected = orders.find((o) => o.orderId === selectedId);
  const trades = mayTrade(me);
  const [view, setView] = useState<View>('orders');
  const views: readonly View[] = isRiskOfficer(me) ? [...COMMON_VIEWS, 'risk'] : COMMON_VIEWS;
  const [replacing, setReplacing] = useState<Order | undefined>();
  // Filled shares seen on the stream: positions and execution quality read again when it moves.
  const fillMark = useMemo(() => orders.reduce((n, o) => n + o.filledQuantity, 0), [orders]);
  const symbols = useMemo(() => [...new Set(orders.map((o) => o.symbol))], [orders]);

  const onSubmitted = useCallback(
    (order: Order) => {
      upsert(order);
      // Orders of an account not yet followed: read its list too (the stream already carries its updates).
      setAccounts((now) => (now.includes(order.accountId) ? now : [...now, order.accountId]));
    },
    [upsert],
  );
  const actions = useMemo<RowActions | undefined>(
    () =>
      mayCancel(me)
        ? {
            onCancel: (order) =>
              cancelOrder(order.orderId).then(
                () => setNotice(`Cancel requested for ${order.clientOrderId}`),
                (e: unknown) => setNotice(`Cancel of ${order.clientOrderId} refused: ${e instanceof Error ? e.message : String(e)}`),
              ),
            onReplace: setReplacing,
          }
        : undefined,
    [me],
  );

  // Alt+1… the views in their order; Alt+O the blotter's grid, whose arrow keys move the selection.
  useShortcuts({
    ...Object.fromEntries(views.map((v, i) => [`Alt+${i + 1}`, () => setView(v)])),
    'Alt+O': () => {
      setView('orders');
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.grid[role="table"]')?.focus());
    },
  });

  if (connection === 'login-required') return <LoginRequired />;

  return (
    <div className={view !== 'orders' ? 'app single' : trades ? 'app' : 'app no-ticket'}>
      <header>
        <h1>OMS-SOR blotter</h1>
        <nav role="tablist" aria-label="Views">
          {views.map((v) => (
            <button key={v} type="button" role="tab" aria-selected={v === view} title={`Alt+${views.indexOf(v) + 1}`} onClick={() => setView(v)}>
              {VIEW_NAMES[v]}
            </button>
          ))}
        </nav>
        <span className={`connection ${connection}`} data-connection={connection}>
          {CONNECTION_TEXT[connection]}
        </span>
        <span className="user" data-roles={me.roles.join(' ')}>
          {me.subject} · {me.roles.join(', ') || 'no role'}
        </span>
        <span className="accounts">accounts: {accounts.join(', ')}</span>
        {notice && (
          <span className="notice" role="status">
            {notice}
          </span>
        )}
        {accessToken() !== null && (
          <button
            type="button"
            className="forget-token"
            onClick={() => {
              forgetToken();
              location.reload();
            }}
          >
            Forget token
          </button>
        )}
      </header>
      {view === 'risk' && <RiskView me={me} />}
      {view === 'market' && <MarketView symbols={symbols} />}
      {view === 'positions' && <PositionsView accounts={accounts} fillMark={fillMark} />}
      {view === 'quality' && <QualityView accounts={accounts} orders={orders} fillMark={fillMark} />}
      {view === 'orders' && (
        <>
          {trades && <OrderTicket onSubmitted={onSubmitted} defaultAccount={namedAccounts(me)[0] ?? WALKTHROUGH_ACCOUNT} />}
          <Blotter orders={orders} selectedId={selectedId} onSelect={(o) => setSelectedId(o?.orderId)} actions={actions} user={me.subject} />
          {selected && <OrderDetail order={selected} onClose={() => setSelectedId(undefined)} />}
        </>
      )}
      {replacing && (
        <ReplaceForm
          order={replacing}
          onDone={(message) => {
            setNotice(message);
            setReplacing(undefined);
          }}
          onClose={() => setReplacing(undefined)}
        />
      )}
    </div>
  );
}
