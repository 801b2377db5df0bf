import { useState } from 'react';
import { DepthLadder } from './DepthLadder.js';
import { PriceChart } from './PriceChart.js';
import { useMarket } from './use-market.js';

/** Symbols offered in the picker before the user has orders of its own (the simulator's; any other can be typed). */
const SUGGESTED = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'TSLA', 'SPY'];

/** The market of one symbol, for every role: the NBBO, the consolidated ladder and a live chart. */
export function MarketView({ symbols }: { symbols: readonly string[] }) {
  const [typed, setTyped] = useState('AAPL');
  const symbol = typed.trim().toUpperCase();
  const { market, book, ticks, problem } = useMarket(symbol);
  const shown = market?.symbol === symbol ? book : undefined;
  const choices = [...new Set([...symbols, ...SUGGESTED])].sort();

  return (
    <main className="market-view view" aria-label="Market">
      <div className="view-bar">
        <label htmlFor="market-symbol">Symbol</label>
        <input id="market-symbol" list="market-symbols" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
        <datalist id="market-symbols">
          {choices.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        {market && shown && (
          <span className="reference">
            reference <b>{market.referencePrice}</b>
          </span>
        )}
      </div>
      {problem && !shown && (
        <p className="problems" role="alert">
          {problem}
        </p>
      )}
      {shown && (
        <div className="market-body">
          <section aria-label="NBBO and ladder">
            <h2>NBBO</h2>
            <p className="nbbo-line" aria-label="NBBO">
              <span className="bid">
                {shown.nbbo.bidSize} @ <b data-nbbo="bid">{shown.nbbo.bid ?? '—'}</b>
              </span>
              {' × '}
              <span className="ask">
                <b data-nbbo="ask">{shown.nbbo.ask ?? '—'}</b> @ {shown.nbbo.askSize}
              </span>
            </p>
            <DepthLadder book={shown} />
          </section>
          <section aria-label="Price">
            <h2>{symbol}: NBBO and reference price</h2>
            <PriceChart key={symbol} ticks={ticks} />
          </section>
        </div>
      )}
    </main>
  );
}
