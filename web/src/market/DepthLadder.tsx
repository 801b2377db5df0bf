import type { ConsolidatedBook, Level } from './book.js';

function Rung({ level }: { level: Level }) {
  const bid = level.side === 'bid';
  return (
    <tr className={`${level.side}${level.atBest ? ' nbbo' : ''}`} data-side={level.side} data-venue={level.venue} data-nbbo={level.atBest || undefined}>
      <td className="venue">{bid ? level.venue : ''}</td>
      <td className="size">{bid ? level.size : ''}</td>
      <td className="price">{level.price}</td>
      <td className="size">{bid ? '' : level.size}</td>
      <td className="venue">{bid ? '' : level.venue}</td>
    </tr>
  );
}

/**
 * The consolidated ladder: the offers nearest the touch above (highest first), the spread, the
 * bids below, each rung naming its venue; the rungs at the NBBO are highlighted. Prices are shown
 * as the API wrote them.
 */
export function DepthLadder({ book }: { book: ConsolidatedBook }) {
  const { nbbo } = book;
  return (
    <table className="ladder" aria-label="Depth ladder">
      <thead>
        <tr>
          <th>Bid venue</th>
          <th>Bid size</th>
          <th>Price</th>
          <th>Ask size</th>
          <th>Ask venue</th>
        </tr>
      </thead>
      <tbody>
        {book.asks.map((level) => (
          <Rung key={`a-${level.venue}-${level.price}`} level={level} />
        ))}
        <tr className="spread">
          <td colSpan={5}>{nbbo.spread === null ? 'one-sided' : `spread ${nbbo.spread} · mid ${nbbo.mid}`}</td>
        </tr>
        {book.bids.map((level) => (
          <Rung key={`b-${level.venue}-${level.price}`} level={level} />
        ))}
      </tbody>
    </table>
  );
}
