// Accessible inline SVG bar chart: actual vs expected per label. The SVG is a picture (role="img" with
// a summary label); the exact numbers are in the data table next to it, which screen readers use.
import { formatNumber } from './format';

export interface Bar {
  label: string;
  actual: number;
  expected?: number;
}

const ROW = 28;
const LABEL_W = 70;
const WIDTH = 560;
const BAR_W = WIDTH - LABEL_W - 60;

export function BarChart({ bars, title }: { bars: readonly Bar[]; title: string }) {
  const max = Math.max(1, ...bars.map((b) => Math.max(b.actual, b.expected ?? 0)));
  const height = bars.length * ROW + 30;
  const summary = bars.map((b) => `${b.label}: ${formatNumber(b.actual)}${b.expected !== undefined ? ` av forventet ${formatNumber(b.expected)}` : ''}`).join('; ');
  return (
    <figure className="pht-manager-chart">
      <svg role="img" aria-label={`${title}. ${summary}`} viewBox={`0 0 ${WIDTH} ${height}`} width="100%" style={{ maxWidth: WIDTH }}>
        {bars.map((b, i) => {
          const y = i * ROW + 4;
          const w = (b.actual / max) * BAR_W;
          const e = b.expected !== undefined ? (b.expected / max) * BAR_W : undefined;
          return (
            <g key={b.label}>
              <text x={0} y={y + 15} fontSize="13" fill="currentColor">
                {b.label}
              </text>
              <rect x={LABEL_W} y={y} width={Math.max(w, 1)} height={20} className="pht-bar-actual" />
              {e !== undefined && <line x1={LABEL_W + e} x2={LABEL_W + e} y1={y - 2} y2={y + 22} className="pht-bar-expected" strokeWidth={3} />}
              <text x={LABEL_W + Math.max(w, e ?? 0) + 6} y={y + 15} fontSize="12" fill="currentColor">
                {formatNumber(b.actual)}
                {e !== undefined ? ` / ${formatNumber(b.expected ?? 0)}` : ''}
              </text>
            </g>
          );
        })}
        <g transform={`translate(${LABEL_W}, ${height - 12})`}>
          <rect width={12} height={10} className="pht-bar-actual" />
          <text x={16} y={9} fontSize="12" fill="currentColor">
            Faktisk
          </text>
          <line x1={90} x2={90} y1={-1} y2={11} className="pht-bar-expected" strokeWidth={3} />
          <text x={96} y={9} fontSize="12" fill="currentColor">
            Forventet (pro rata)
          </text>
        </g>
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
