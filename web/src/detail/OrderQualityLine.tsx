import type { OrderQuality } from '../api/types.js';

/** A decimal from the API as written, or a dash when it is not known (nothing filled, no NBBO). */
const shown = (value: string | null, unit = ''): string => (value === null ? '—' : `${value}${unit}`);

/**
 * The order's own execution quality (GET /api/v1/orders/{id}): against the NBBO its first route
 * saw, as the Execution quality tab shows an account's. The API's decimals are shown unchanged.
 */
export function OrderQualityLine({ quality }: { quality: OrderQuality | null }) {
  if (!quality) return <p>Not routed yet.</p>;
  return (
    <dl className="order-quality" aria-label="Execution quality">
      <dt>Filled</dt>
      <dd>
        {quality.filledQuantity} of {quality.orderedQuantity} (fill rate {quality.fillRate})
      </dd>
      <dt>Average price</dt>
      <dd>{shown(quality.averagePrice)}</dd>
      <dt>Slippage</dt>
      <dd>{shown(quality.slippageBps, ' bps')}</dd>
      <dt>Shortfall</dt>
      <dd>{shown(quality.shortfallBps, ' bps')}</dd>
      <dt>Price improvement</dt>
      <dd>
        {shown(quality.priceImprovement)} in all ({shown(quality.priceImprovementBps, ' bps')})
      </dd>
      <dt>Fees</dt>
      <dd>{quality.feesPaid}</dd>
      <dt>Children</dt>
      <dd>{quality.childCount}</dd>
      <dt>Time to fill</dt>
      <dd>{quality.timeToFillMs === null ? '—' : `${quality.timeToFillMs} ms`}</dd>
    </dl>
  );
}
