import type { ChildOrder } from '../api/types.js';

/** What each strategy does with the book it sees (the README's Smart order routing, in a line each). */
const STRATEGY_RULES: Record<string, string> = {
  BEST_PRICE_FEE_AWARE: 'tops of book ranked by price plus taker fee',
  SWEEP: 'every level at or better than the limit, cheapest effective price first',
  SPRAY: 'in proportion to the size each venue displays',
  DARK_FIRST: 'mid-point IOC in the dark pool first, then lit venues',
  POST_PASSIVE: 'sweep what is marketable, rest the remainder at the best venue for a maker',
};

interface Attempt {
  readonly attempt: number;
  readonly children: readonly ChildOrder[];
}

/** Children grouped by route attempt, first attempt first: one routing decision each. */
function attemptsOf(children: readonly ChildOrder[]): Attempt[] {
  const byAttempt = new Map<number, ChildOrder[]>();
  for (const child of children) byAttempt.set(child.routeAttempt, [...(byAttempt.get(child.routeAttempt) ?? []), child]);
  return [...byAttempt].sort(([a], [b]) => a - b).map(([attempt, list]) => ({ attempt, children: list }));
}

/**
 * The router's decisions for one order: per route attempt, when it decided, the strategy and its
 * rule, the consolidated NBBO it saw, and the venues it chose with size, type and limit. The
 * venues' own depth at that moment is not stored, so it is not shown.
 */
export function RoutingDecision({ children }: { children: readonly ChildOrder[] }) {
  if (children.length === 0) return <p>Not routed yet.</p>;
  return (
    <section aria-label="Routing decision">
      {attemptsOf(children).map(({ attempt, children: placed }) => {
        const first = placed[0]!;
        const strategy = first.strategy ?? 'default';
        const shares = placed.reduce((sum, c) => sum + c.quantity, 0);
        return (
          <p key={attempt}>
            <strong>Route {attempt}</strong> at {first.routedAt.slice(11, 23)} · {strategy}
            {STRATEGY_RULES[strategy] ? ` (${STRATEGY_RULES[strategy]})` : ''} · NBBO seen {first.nbboBid ?? '—'} × {first.nbboAsk ?? '—'} · {shares} shares to{' '}
            {placed.length} venue{placed.length === 1 ? '' : 's'}:{' '}
            {placed.map((c) => `${c.venue} ${c.quantity} ${c.orderType === 'LIMIT' ? `@ ${c.limitPrice ?? ''}` : 'MKT'} ${c.timeInForce}`).join(', ')}
          </p>
        );
      })}
    </section>
  );
}
