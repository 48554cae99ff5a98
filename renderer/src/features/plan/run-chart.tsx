import { CHART_BUCKET_MS, type ChartPoint } from './run-view-model';

const W = 320;
const H = 80;

/**
 * Throughput (line) and 429 answers (bars) over the last two minutes, in plain SVG. The figures are
 * also in the accessible name, so a screen reader hears what a glance at the chart shows.
 */
export function RunChart({ points }: { points: readonly ChartPoint[] }) {
  if (points.length < 2) {
    return (
      <p className="muted run-chart-empty">
        The throughput chart starts after a few seconds of the run.
      </p>
    );
  }
  const maxRate = Math.max(1, ...points.map((p) => p.perSecond));
  const max429 = Math.max(1, ...points.map((p) => p.rateLimited));
  const step = W / Math.max(1, points.length - 1);
  const y = (v: number): number => H - (v / maxRate) * (H - 6) - 3;
  const line = points.map((p, i) => `${(i * step).toFixed(1)},${y(p.perSecond).toFixed(1)}`);
  const last = points[points.length - 1];
  const total429 = points.reduce((n, p) => n + p.rateLimited, 0);
  const label =
    `Throughput over the last ${(points.length * CHART_BUCKET_MS) / 1000} seconds: now ${(last?.perSecond ?? 0).toFixed(1)} ` +
    `operations a second, peak ${maxRate.toFixed(1)}; ${total429} answers 429 in that time.`;
  return (
    <figure className="run-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="none">
        {points.map((p, i) =>
          p.rateLimited > 0 ? (
            <rect
              key={p.atMs}
              className="run-chart-429"
              x={i * step - step / 2}
              width={Math.max(2, step * 0.6)}
              y={H - (p.rateLimited / max429) * (H / 2)}
              height={(p.rateLimited / max429) * (H / 2)}
            />
          ) : null,
        )}
        <polyline className="run-chart-rate" points={line.join(' ')} />
      </svg>
      <figcaption className="muted">
        <span className="run-chart-key rate">Operations a second</span> (peak {maxRate.toFixed(1)})
        · <span className="run-chart-key limited">429 answers</span>
      </figcaption>
    </figure>
  );
}
