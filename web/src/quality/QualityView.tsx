import { useState } from 'react';
import type { AggregateQuality, QualityReport } from '../api/market-client.js';
import type { Order } from '../api/types.js';
import { decimal, formatFixed, times } from '../lib/decimal.js';
import { BarChart, type Bar } from './BarChart.js';
import { useQuality } from './use-quality.js';
import { percent } from './venue-stats.js';
import { venueQualityRows } from './venue-quality.js';

/** What the per-venue slippage is measured against, for its column's title. */
const SLIPPAGE_REFERENCE =
  "Against the NBBO mid when the order arrived (the consolidated NBBO its first route saw), in basis points, weighted by the venue's filled shares; positive: a buy paid above the mid or a sale got below it";
const FEES_NOTE =
  "From the venue's fee schedule: the taker fee on fills that took liquidity, minus the maker rebate on those that rested (negative: rebates received)";

/** The API's fill rate (a decimal fraction) as a percentage, exactly. */
const ratePercent = (rate: string): string => `${formatFixed(times(decimal(rate), 100n), 1)}%`;

function strategyBars(
  byStrategy: Record<string, AggregateQuality>,
  pick: (q: AggregateQuality) => string | null,
  show: (v: string) => string = (v) => v,
): Bar[] {
  return Object.entries(byStrategy).flatMap(([strategy, q]) => {
    const value = pick(q);
    // Numbers for the bars' lengths only; the text beside each is the API's value.
    return value === null ? [] : [{ label: strategy, value: Number(value), text: show(value) }];
  });
}

const ROWS: readonly [string, (q: AggregateQuality) => string | number | null][] = [
  ['Orders', (q) => q.orders],
  ['Ordered', (q) => q.orderedQuantity],
  ['Filled', (q) => q.filledQuantity],
  ['Fill rate', (q) => ratePercent(q.fillRate)],
  ['Slippage (bps)', (q) => q.slippageBps],
  ['Shortfall (bps)', (q) => q.shortfallBps],
  ['Price improvement (bps)', (q) => q.priceImprovementBps],
  ['Fees paid', (q) => q.feesPaid],
  ['Children per order', (q) => q.childrenPerOrder],
  ['Avg time to fill (ms)', (q) => q.averageTimeToFillMs],
];

/** Execution quality of one account's latest orders, per routing strategy and per venue, as charts and a table. */
export function QualityView({ accounts, orders, fillMark }: { accounts: readonly string[]; orders: readonly Order[]; fillMark: number }) {
  const [accountId, setAccountId] = useState(accounts[0] ?? '');
  const { report, venues, problem } = useQuality(accountId, orders, fillMark);
  const columns = report ? [['All', report.overall] as const, ...Object.entries(report.byStrategy)] : [];

  return (
    <main className="quality-view view" aria-label="Execution quality">
      <div className="view-bar">
        <label htmlFor="quality-account">Account</label>
        <select id="quality-account" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
          {accounts.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
        <span className="muted">its latest 100 orders</span>
      </div>
      {problem && <p className="problems">{problem}</p>}
      {report && report.overall.orders === 0 && <p className="none">No orders yet.</p>}
      <section aria-label="By venue" className="charts">
        <h2>By venue</h2>
        <BarChart
          title="Fill rate by venue"
          full={1000}
          bars={venues.map((v) => ({ label: v.venue, value: v.fillRatePermille, text: percent(v.fillRatePermille) }))}
        />
        <BarChart
          title="Filled shares by venue"
          bars={venues.map((v) => ({ label: v.venue, value: v.filledQuantity, text: `${v.filledQuantity} of ${v.routedQuantity}` }))}
        />
      </section>
      {report && <VenueTable byVenue={report.byVenue} />}
      {report && (
        <section aria-label="By strategy" className="charts">
          <h2>By strategy</h2>
          <BarChart title="Slippage by strategy" unit=" bps" bars={strategyBars(report.byStrategy, (q) => q.slippageBps)} />
          <BarChart title="Fill rate by strategy" full={1} bars={strategyBars(report.byStrategy, (q) => q.fillRate, ratePercent)} />
          <BarChart title="Fees paid by strategy" bars={strategyBars(report.byStrategy, (q) => q.feesPaid)} />
        </section>
      )}
      {report && (
        <table className="quality" aria-label="Execution quality by strategy">
          <thead>
            <tr>
              <th />
              {columns.map(([name]) => (
                <th key={name} className="num">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ROWS.map(([label, pick]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {columns.map(([name, q]) => (
                  <td key={name} className="num">
                    {pick(q) ?? '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

/** The API's per-venue figures of the same orders' fills, with the venues' total. */
function VenueTable({ byVenue }: { byVenue: QualityReport['byVenue'] }) {
  const { rows, total } = venueQualityRows(byVenue);
  if (rows.length === 0) return null;
  return (
    <table className="quality venue-quality" aria-label="Execution quality by venue">
      <thead>
        <tr>
          <th>Venue</th>
          <th className="num">Fills</th>
          <th className="num">Filled</th>
          <th className="num" title="Volume-weighted average fill price at the venue, per symbol">
            Avg price
          </th>
          <th className="num" title={SLIPPAGE_REFERENCE}>
            Slippage vs arrival mid (bps)
          </th>
          <th className="num" title={FEES_NOTE}>
            Fees paid
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.venue} data-venue={r.venue}>
            <th scope="row">{r.venue}</th>
            <td className="num" data-field="fills">
              {r.fills}
            </td>
            <td className="num" data-field="filled">
              {r.filledQuantity}
            </td>
            <td className="num" data-field="avgPrice">
              {r.averagePrice}
            </td>
            <td className="num" data-field="slippageBps">
              {r.slippageBps ?? '—'}
            </td>
            <td className="num" data-field="fees">
              {r.feesPaid}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">All venues</th>
          <td className="num">{total.fills}</td>
          <td className="num">{total.filledQuantity}</td>
          <td />
          <td />
          <td className="num">{total.feesPaid}</td>
        </tr>
      </tfoot>
    </table>
  );
}
