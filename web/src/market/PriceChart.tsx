import { useEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Tick } from './use-market.js';

const HEIGHT = 260;
const AXIS = { stroke: '#8a96a3', grid: { stroke: '#2a313b' }, ticks: { stroke: '#2a313b' } };
/** Tick spacings in seconds: labels of whole seconds, never two alike. */
const WHOLE_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600];
/** Wall-clock seconds (local time): uPlot's own labels for a few minutes are fractions of a second. */
const clock = (_: uPlot, splits: number[]): string[] => splits.map((s) => new Date(s * 1000).toLocaleTimeString([], { hour12: false }));

/** uPlot's columns: times, then one array per line (null where a side showed no quote). */
const columns = (ticks: readonly Tick[]): AlignedData => [
  ticks.map((t) => t.time),
  ticks.map((t) => t.bid),
  ticks.map((t) => t.ask),
  ticks.map((t) => t.reference),
];

function options(width: number): Options {
  return {
    width,
    height: HEIGHT,
    // The legend would repeat the prices as floats; the ladder shows them as the API wrote them.
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true } },
    axes: [
      { ...AXIS, values: clock, incrs: WHOLE_SECONDS },
      { ...AXIS, size: 70 },
    ],
    series: [
      {},
      { label: 'NBBO bid', stroke: '#4caf7a', width: 1.5 },
      { label: 'NBBO ask', stroke: '#e06c6c', width: 1.5 },
      { label: 'Reference', stroke: '#7fb8ff', width: 1, dash: [4, 4] },
    ],
  };
}

/**
 * The NBBO and the reference price over time, drawn on a canvas by uPlot: made for streaming
 * series, it redraws thousands of points per update without the cost of a DOM node per point.
 */
export function PriceChart({ ticks }: { ticks: readonly Tick[] }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);
  const latest = useRef(ticks);
  latest.current = ticks;

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const plot = new uPlot(options(element.clientWidth || 600), columns(latest.current), element);
    chart.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => chart.current?.setData(columns(ticks)), [ticks]);

  return (
    <figure className="price-chart" aria-label="Price chart" data-points={ticks.length}>
      <div ref={host} />
      <figcaption>
        <span className="key bid">NBBO bid</span> <span className="key ask">NBBO ask</span> <span className="key reference">reference</span>, polled every 500
        ms
      </figcaption>
    </figure>
  );
}
