// Charts with uPlot: small (≈50 KB), fast canvas time series — a line chart per metric and sparklines for the rules page.
import uPlot from 'uplot';
import { formatBytes, h } from './dom.ts';

const COLORS = ['#1f5fbf', '#b3261e', '#1b7f3a', '#7a4cc2', '#9a5b00', '#00727a'];

export interface Line {
  label: string;
  values: (number | null)[];
}

/** A time series chart; `xs` are Unix seconds. The chart is described in text for screen readers. */
export function timeChart(title: string, xs: number[], lines: Line[], unit: 'bytes' | 'count'): HTMLElement {
  const figure = h('figure', { class: 'chart' }, h('figcaption', {}, title));
  const format = (value: number) => (unit === 'bytes' ? formatBytes(value) : Math.round(value).toLocaleString('en'));
  const totals = lines.map((line) => `${line.label} ${format(line.values.reduce<number>((sum, value) => sum + (value ?? 0), 0))}`).join(', ');
  figure.setAttribute('aria-label', `${title}: totals ${totals}`);
  const options: uPlot.Options = {
    width: 760,
    height: 220,
    series: [{}, ...lines.map((line, i) => ({ label: line.label, stroke: COLORS[i % COLORS.length] ?? '#333', width: 2, value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)) }))],
    axes: [{}, { values: (_u, values) => values.map((v) => format(v)), size: 80 }],
    scales: { x: { time: true } },
  };
  new uPlot(options, [xs, ...lines.map((line) => line.values)], figure);
  return figure;
}

/** A tiny line with no axes, for a per-day count; its numbers are in the title for screen readers. */
export function sparkline(label: string, values: number[]): HTMLElement {
  const box = h('span', { class: 'sparkline', role: 'img', 'aria-label': `${label}: ${values.join(', ')}`, title: values.join(', ') });
  const xs = values.map((_, i) => i);
  new uPlot(
    {
      width: 120,
      height: 28,
      legend: { show: false },
      cursor: { show: false },
      axes: [{ show: false }, { show: false }],
      scales: { x: { time: false } },
      series: [{}, { stroke: COLORS[0] ?? '#333', width: 1.5, fill: 'rgba(31, 95, 191, 0.15)' }],
    },
    [xs, values],
    box,
  );
  return box;
}
