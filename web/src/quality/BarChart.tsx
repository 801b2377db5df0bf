export interface Bar {
  readonly label: string;
  /** The bar's length, a number for drawing only. */
  readonly value: number;
  /** What is written beside it: the API's decimal string, or a count. */
  readonly text: string;
}

const ROW = 22;
const LABEL = 150;
const VALUE = 130;
const WIDTH = 500;

/**
 * Horizontal bars in plain SVG: a few bars need no chart library, and each bar is an element a
 * test or a screen reader can find by its label. Negative values (slippage that improved on the
 * arrival price, fees that were rebates) grow left of the zero line, in green.
 */
/** `full`: the value of a full-length bar (a rate's 100%), else the largest bar's. */
export function BarChart({ title, bars, unit = '', full }: { title: string; bars: readonly Bar[]; unit?: string; full?: number }) {
  const span = WIDTH - LABEL - VALUE;
  const max = Math.max(0, full ?? 0, ...bars.map((b) => b.value));
  const min = Math.min(0, ...bars.map((b) => b.value));
  const range = max - min || 1;
  const zero = LABEL + ((0 - min) / range) * span;
  const x = (v: number): number => LABEL + ((v - min) / range) * span;
  const height = bars.length * ROW + 8;
  return (
    <figure className="bar-chart" data-title={title}>
      <figcaption>{title}</figcaption>
      <svg role="img" aria-label={title} width={WIDTH} height={height} viewBox={`0 0 ${WIDTH} ${height}`}>
        <line x1={zero} x2={zero} y1={0} y2={height} className="axis" />
        {bars.map((bar, i) => {
          const y = 4 + i * ROW;
          const start = Math.min(zero, x(bar.value));
          return (
            <g key={bar.label} data-bar={bar.label} className={bar.value < 0 ? 'negative' : undefined}>
              <text x={LABEL - 6} y={y + 15} textAnchor="end" className="label">
                {bar.label}
              </text>
              <rect x={start} y={y + 3} width={Math.max(1, Math.abs(x(bar.value) - zero))} height={ROW - 6} />
              <text x={WIDTH - VALUE + 8} y={y + 15} className="value">
                {bar.text}
                {unit}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
