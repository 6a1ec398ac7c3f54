// The alert list: filters in the URL (#/alerts?severity=HIGH&q=dns), keyset "Load more", live refresh on new alerts,
// and bulk triage of everything the filter selects.
import { getJson, postJson } from '../api.ts';
import { announce, errorBox, formatTime, h, show } from '../dom.ts';
import { liveUpdates } from '../live.ts';
import { SEVERITIES, STATUSES, STATUS_LABELS, type AlertItem, type AlertPage } from '../types.ts';

const TEXT_FILTERS: [name: string, label: string, hint: string][] = [
  ['q', 'Title contains', ''],
  ['rule', 'Rule id', 'Tailscale.Magic.DNS.Disabled'],
  ['tailnet', 'Tailnet', ''],
  ['tag', 'Tag', ''],
  ['node', 'Node (name, id or address)', ''],
  ['user', 'User', 'alice@example.com'],
  ['from', 'First event from (UTC)', '2026-08-10T09:00Z'],
  ['to', 'First event before (UTC)', ''],
];

export async function alertsPage(query: URLSearchParams): Promise<void> {
  const filter = new URLSearchParams([...query].filter(([, value]) => value !== ''));
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const count = h('p', { role: 'status' });
  let cursor: string | null = null;
  let shown = 0;

  const load = async (reset: boolean) => {
    const params = new URLSearchParams(filter);
    if (!reset && cursor !== null) params.set('cursor', cursor);
    const page = await getJson<AlertPage>('/api/alerts', params);
    if (reset) {
      body.replaceChildren();
      shown = 0;
    }
    for (const alert of page.alerts) body.appendChild(row(alert));
    shown += page.alerts.length;
    cursor = page.next;
    more.hidden = cursor === null;
    count.textContent = shown === 0 ? 'No alerts match.' : `${shown} alert${shown === 1 ? '' : 's'} shown${cursor === null ? '' : ' (more below)'}`;
  };
  more.addEventListener('click', () => void load(false));

  show(
    h('h1', {}, 'Alerts'),
    filterForm(filter),
    bulkForm(filter, () => load(true)),
    count,
    h(
      'table',
      { class: 'alerts' },
      h('caption', { class: 'visually-hidden' }, 'Alerts, newest first'),
      h('thead', {}, h('tr', {}, ...['Severity', 'Title', 'Rule', 'Status', 'Assignee', 'First event', 'Events'].map((name) => h('th', { scope: 'col' }, name)))),
      body,
    ),
    more,
  );
  await load(true);
  liveUpdates((type, data) => {
    if (type === 'alert') announce(`New alert: ${String(data.title)}`);
    void load(true);
  });
}

function row(alert: AlertItem): HTMLElement {
  return h(
    'tr',
    { 'data-alert-id': alert.alertId },
    h('td', {}, h('span', { class: `severity severity-${alert.severity.toLowerCase()}` }, alert.severity)),
    h('td', {}, h('a', { href: `#/alert/${encodeURIComponent(alert.alertId)}` }, alert.title)),
    h('td', {}, alert.ruleId),
    h('td', { class: 'status' }, STATUS_LABELS[alert.status]),
    h('td', {}, alert.assignee ?? '—'),
    h('td', {}, formatTime(alert.firstEventTime)),
    h('td', { class: 'number' }, alert.eventCount),
  );
}

function filterForm(filter: URLSearchParams): HTMLElement {
  const select = (name: string, label: string, options: string[], labels: Record<string, string> = {}) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `filter-${name}` }, label),
      h('select', { id: `filter-${name}`, name }, h('option', { value: '' }, 'Any'), ...options.map((value) => h('option', { value, selected: filter.get(name) === value }, labels[value] ?? value))),
    );
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter alerts' },
    select('severity', 'Severity', SEVERITIES),
    select('status', 'Status', STATUSES, STATUS_LABELS),
    ...TEXT_FILTERS.map(([name, label, hint]) =>
      h('div', { class: 'field' }, h('label', { for: `filter-${name}` }, label), h('input', { id: `filter-${name}`, name, value: filter.get(name) ?? '', placeholder: hint || undefined })),
    ),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Filter'), h('a', { href: '#/alerts' }, 'Clear')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') params.set(name, value.trim());
    location.hash = `#/alerts?${params.toString()}`;
  });
  return form;
}

function bulkForm(filter: URLSearchParams, reload: () => Promise<void>): HTMLElement {
  const result = h('span', { role: 'status' });
  const form = h(
    'form',
    { class: 'bulk', 'aria-label': 'Bulk triage' },
    h('label', { for: 'bulk-status' }, 'Set every matching alert to'),
    h('select', { id: 'bulk-status', name: 'status' }, h('option', { value: '' }, '(status unchanged)'), ...STATUSES.map((value) => h('option', { value }, STATUS_LABELS[value]))),
    h('label', { for: 'bulk-assignee' }, 'Assign to'),
    h('input', { id: 'bulk-assignee', name: 'assignee', placeholder: '(unchanged)' }),
    h('button', { type: 'submit' }, 'Apply to all matching'),
    result,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const change: Record<string, string> = {};
    if (data.get('status')) change.status = String(data.get('status'));
    if (String(data.get('assignee') ?? '').trim() !== '') change.assignee = String(data.get('assignee')).trim();
    postJson<{ selected: number; changed: number; skipped: number }>('/api/alerts/bulk', change, filter)
      .then(async (answer) => {
        result.textContent = `Changed ${answer.changed} of ${answer.selected} (${answer.skipped} skipped)`;
        await reload();
      })
      .catch((error: Error) => result.replaceChildren(errorBox(error.message)));
  });
  return form;
}
