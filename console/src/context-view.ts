// An alert's context, readable: objects as definition lists, lists of records (top contributors, a correlation chain)
// as tables, plain lists inline; byte counts keep their raw number beside a readable one.
import { formatBytes, h, type Child } from './dom.ts';

export function contextView(value: unknown, depth = 0): Child {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) {
    if (value.length === 0) return '(none)';
    if (value.every(isRecord)) return recordTable(value);
    return value.map((item) => (isRecord(item) || Array.isArray(item) ? JSON.stringify(item) : String(item))).join(', ');
  }
  if (isRecord(value)) {
    if (depth > 4) return h('code', {}, JSON.stringify(value));
    return h('dl', { class: 'context' }, ...Object.entries(value).flatMap(([key, item]) => [h('dt', {}, label(key)), h('dd', {}, scalar(key, item, depth))]));
  }
  return String(value);
}

function scalar(key: string, value: unknown, depth: number): Child {
  if (typeof value === 'number' && /bytes/i.test(key)) return `${formatBytes(value)} (${value.toLocaleString('en')})`;
  return contextView(value, depth + 1);
}

function recordTable(rows: Record<string, unknown>[]): HTMLElement {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return h(
    'table',
    { class: 'context-table' },
    h('thead', {}, h('tr', {}, ...columns.map((column) => h('th', { scope: 'col' }, label(column))))),
    h('tbody', {}, ...rows.map((row) => h('tr', {}, ...columns.map((column) => h('td', {}, scalar(column, row[column], 5)))))),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** camelCase and snake_case keys as words: magicDnsActor → Magic dns actor. */
function label(key: string): string {
  const words = key.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
