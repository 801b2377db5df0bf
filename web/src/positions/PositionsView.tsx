import type { Position } from '../api/market-client.js';
import { decimal, formatFixed, sum, type Scaled } from '../lib/decimal.js';
import { usePositions, type AccountPositions } from './use-positions.js';

/** Gains green, losses red: the sign of the API's decimal string, not of a float. */
const pnlClass = (value: string | null): string => (value === null ? 'pnl' : value.startsWith('-') ? 'pnl loss' : /[1-9]/.test(value) ? 'pnl gain' : 'pnl');

/** Money as a desk reads it: cents, rounded half away from zero, from the exact value. */
const money = (value: string | null): string => (value === null ? '—' : formatFixed(decimal(value), 2));

/** An account's P&L summed exactly; unrealized leaves out the symbols without a mark. */
function totals(list: readonly Position[]): { realized: string; unrealized: string } {
  const total = (values: (string | null)[]): string => formatFixed(sum(values.filter((v): v is string => v !== null).map(decimal)), 2);
  return { realized: total(list.map((p) => p.realizedPnl)), unrealized: total(list.map((p) => p.unrealizedPnl)) };
}

function AccountTable({ account }: { account: AccountPositions }) {
  const { realized, unrealized } = totals(account.positions);
  const open = account.positions.filter((p) => p.quantity !== 0 || decimal(p.realizedPnl) !== (0n as Scaled));
  return (
    <section aria-label={`Positions of ${account.accountId}`} data-account={account.accountId}>
      <h2>{account.accountId}</h2>
      {account.problem && <p className="problems">{account.problem}</p>}
      <table className="positions">
        <thead>
          <tr>
            <th>Symbol</th>
            <th className="num">Quantity</th>
            <th className="num">Avg cost</th>
            <th className="num">Mark</th>
            <th className="num">Cost basis</th>
            <th className="num">Unrealized P&amp;L</th>
            <th className="num">Realized P&amp;L</th>
          </tr>
        </thead>
        <tbody>
          {open.length === 0 && (
            <tr>
              <td colSpan={7} className="none">
                No positions
              </td>
            </tr>
          )}
          {open.map((p) => (
            <tr key={p.symbol} data-symbol={p.symbol}>
              <td>{p.symbol}</td>
              <td className="num quantity">{p.quantity}</td>
              <td className="num">{p.averageCost ?? '—'}</td>
              <td className="num">{p.markPrice ?? '—'}</td>
              <td className="num">{money(p.costBasis)}</td>
              <td className={`num ${pnlClass(p.unrealizedPnl)}`}>{money(p.unrealizedPnl)}</td>
              <td className={`num ${pnlClass(p.realizedPnl)}`}>{money(p.realizedPnl)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="total">
            <th colSpan={5}>Total</th>
            <td className={`num ${pnlClass(unrealized)}`}>{unrealized}</td>
            <td className={`num ${pnlClass(realized)}`}>{realized}</td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

/** Positions and P&L of every account the blotter follows, live: unrealized against the reference price, as the API marks it. */
export function PositionsView({ accounts, fillMark }: { accounts: readonly string[]; fillMark: number }) {
  const state = usePositions(accounts, fillMark);
  return (
    <main className="positions-view view" aria-label="Positions" aria-busy={!state.loaded}>
      {state.accounts.map((a) => (
        <AccountTable key={a.accountId} account={a} />
      ))}
      <p className="muted">Unrealized P&amp;L is marked to each symbol&apos;s reference price; read every second and after each fill.</p>
    </main>
  );
}
