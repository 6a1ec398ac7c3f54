// Traffic from the per-minute rollups: bytes and packets over time per kind and tailnet, top talkers and tag pairs for
// the window, and a graph of the busiest node-to-node edges; every name links to the alerts involving it.
import { getJson } from '../api.ts';
import { timeChart, type Line } from '../charts.ts';
import { formatBytes, h, show, table } from '../dom.ts';
import type { Talker, TrafficReport } from '../types.ts';

const WINDOWS: [minutes: string, label: string][] = [['60', 'Last hour'], ['360', 'Last 6 hours'], ['1440', 'Last day'], ['10080', 'Last week']];

export async function trafficPage(query: URLSearchParams): Promise<void> {
  const params = new URLSearchParams(query);
  if (!params.has('minutes')) params.set('minutes', '60');
  const report = await getJson<TrafficReport>('/api/traffic', params);
  const tailnets = [...new Set(report.series.map((series) => series.tailnet))];
  show(
    h('h1', {}, 'Traffic'),
    windowForm(params, report.tailnets),
    h('p', {}, report.from === null ? 'No flow logs rolled up yet.' : `From ${report.from} to ${report.to} (event time, ending at the newest rolled-up minute).`),
    ...tailnets.flatMap((tailnet) => charts(report, tailnet)),
    h('div', { class: 'tops' }, topTable('Top sources', 'top-sources', report.topSources), topTable('Top destinations', 'top-destinations', report.topDestinations), topTable('Top tag → tag:port pairs', 'top-pairs', report.topPairs, false)),
    h('section', { 'aria-labelledby': 'graph-title' }, h('h2', { id: 'graph-title' }, 'Busiest edges'), edgeGraph(report.edges), table(['Source', 'Destination', 'Bytes', 'Packets'], report.edges.map((e) => [alertsLink(e.src), alertsLink(e.dst), formatBytes(e.bytes), e.packets.toLocaleString('en')]))),
  );
}

function windowForm(params: URLSearchParams, tailnets: string[]): HTMLElement {
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Traffic window' },
    h('div', { class: 'field' }, h('label', { for: 'traffic-minutes' }, 'Window'), h('select', { id: 'traffic-minutes', name: 'minutes' }, ...WINDOWS.map(([value, label]) => h('option', { value, selected: params.get('minutes') === value }, label)))),
    h('div', { class: 'field' }, h('label', { for: 'traffic-tailnet' }, 'Tailnet'), h('select', { id: 'traffic-tailnet', name: 'tailnet' }, h('option', { value: '' }, 'All'), ...tailnets.map((value) => h('option', { value, selected: params.get('tailnet') === value }, value)))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value !== '') next.set(name, value);
    location.hash = `#/traffic?${next.toString()}`;
  });
  return form;
}

function charts(report: TrafficReport, tailnet: string): HTMLElement[] {
  const series = report.series.filter((entry) => entry.tailnet === tailnet);
  const minutes = [...new Set(series.flatMap((entry) => entry.minutes))].sort((a, b) => a - b);
  const lines = (pick: 'bytes' | 'packets'): Line[] =>
    series.map((entry) => {
      const byMinute = new Map(entry.minutes.map((minute, i) => [minute, entry[pick][i] ?? null]));
      return { label: entry.kind, values: minutes.map((minute) => byMinute.get(minute) ?? null) };
    });
  const xs = minutes.map((minute) => minute / 1000);
  return [timeChart(`Bytes per minute, ${tailnet}`, xs, lines('bytes'), 'bytes'), timeChart(`Packets per minute, ${tailnet}`, xs, lines('packets'), 'count')];
}

function topTable(title: string, id: string, rows: Talker[], linked = true): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': id },
    h('h2', { id }, title),
    rows.length === 0 ? h('p', {}, 'Nothing in this window.') : table(['Name', 'Bytes', 'Packets'], rows.map((row) => [linked ? alertsLink(row.name) : row.name, formatBytes(row.bytes), row.packets.toLocaleString('en')])),
  );
}

function alertsLink(name: string): HTMLElement {
  return h('a', { href: `#/alerts?node=${encodeURIComponent(name)}`, title: `Alerts involving ${name}` }, name);
}

/** Nodes on a circle, an edge's width by its share of the busiest edge's bytes. */
function edgeGraph(edges: TrafficReport['edges']): Element {
  const svgNs = 'http://www.w3.org/2000/svg';
  const make = (tag: string, attrs: Record<string, string | number>) => {
    const element = document.createElementNS(svgNs, tag);
    for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
    return element;
  };
  const names = [...new Set(edges.flatMap((edge) => [edge.src, edge.dst]))];
  const size = 520;
  const radius = size / 2 - 90;
  const position = new Map(names.map((name, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, names.length) - Math.PI / 2;
    return [name, { x: size / 2 + radius * Math.cos(angle), y: size / 2 + radius * Math.sin(angle) }];
  }));
  const svg = make('svg', { viewBox: `0 0 ${size} ${size}`, width: size, height: size, role: 'img', 'aria-label': `Graph of the ${edges.length} busiest edges (listed in the table below)` });
  const busiest = Math.max(1, ...edges.map((edge) => edge.bytes));
  for (const edge of edges) {
    const a = position.get(edge.src);
    const b = position.get(edge.dst);
    if (a === undefined || b === undefined) continue;
    const line = make('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: '#1f5fbf', 'stroke-opacity': 0.6, 'stroke-width': 1 + 7 * (edge.bytes / busiest) });
    line.appendChild(make('title', {})).textContent = `${edge.src} → ${edge.dst}: ${formatBytes(edge.bytes)}`;
    svg.appendChild(line);
  }
  for (const [name, { x, y }] of position) {
    svg.appendChild(make('circle', { cx: x, cy: y, r: 5, fill: '#222' }));
    const label = make('text', { x, y: y - 9, 'text-anchor': 'middle', 'font-size': 11, fill: '#111' });
    label.textContent = name;
    svg.appendChild(label);
  }
  return svg;
}
