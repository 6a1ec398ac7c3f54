// An alert page's evidence: the events that formed the alert (the first and latest few, gaps marked), and the
// inventory of the nodes and users it names.
import { contextView } from './context-view.ts';
import { formatTime, h, table, type Child } from './dom.ts';
import type { AlertDetail } from './types.ts';

type InvolvedRecord = NonNullable<AlertDetail['inventory']>[number];
type NodeRecord = Extract<InvolvedRecord, { kind: 'node' }>;
type UserRecord = Extract<InvolvedRecord, { kind: 'user' }>;

const SUMMARY_CHARS = 100;

export function eventsSection(detail: AlertDetail): HTMLElement {
  const { events, kept } = detail;
  const rows: HTMLElement[] = [];
  let previous = 0;
  for (const event of events) {
    if (event.ordinal > previous + 1) rows.push(h('tr', { class: 'gap' }, h('td', { colspan: 5 }, `… ${event.ordinal - previous - 1} more not kept …`)));
    previous = event.ordinal;
    rows.push(
      h(
        'tr',
        {},
        h('td', { class: 'number' }, event.ordinal),
        h('td', {}, h('time', { datetime: event.eventTime }, formatTime(event.eventTime))),
        h('td', {}, event.source),
        h('td', {}, event.logType),
        h('td', {}, recordView(event, event === events[0])),
      ),
    );
  }
  return h(
    'section',
    { 'aria-labelledby': 'events-title' },
    h('h2', { id: 'events-title' }, 'Events'),
    h(
      'p',
      {},
      `The first ${kept.first} and the latest ${kept.latest} of the alert's matches are kept, numbered in the order its window counted them. `,
      events.length === 0 ? 'None are kept for this alert: a correlation chain has no event of its own (its steps are in the context), and alerts from cluster mode or from before tailwatch kept events have none. ' : '',
      'An aggregate alert shows the event that crossed its threshold; its top contributors are in the context.',
    ),
    events.length === 0
      ? null
      : h(
          'table',
          { class: 'events' },
          h('thead', {}, h('tr', {}, ...['#', 'Event time', 'Source', 'Log type', 'Record'].map((name) => h('th', { scope: 'col' }, name)))),
          h('tbody', {}, ...rows),
        ),
  );
}

/** Folded to its first line but for the first event, so a page of large flow records stays short. */
function recordView(event: AlertDetail['events'][number], open: boolean): HTMLElement {
  const text = event.truncated ? String(event.record) : JSON.stringify(event.record);
  const summary = text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS)}…` : text;
  return h(
    'details',
    { open },
    h('summary', {}, h('code', {}, summary)),
    event.truncated ? h('pre', { class: 'record' }, `${text}… (cut at the bound kept per event)`) : contextView(event.record),
  );
}

export function inventorySection(detail: AlertDetail): HTMLElement {
  const records = detail.inventory;
  const nodes = (records ?? []).filter((entry): entry is NodeRecord => entry.kind === 'node');
  const users = (records ?? []).filter((entry): entry is UserRecord => entry.kind === 'user');
  const body: Child[] =
    records === null
      ? [h('p', {}, 'This tailnet has no inventory (see “The tailnet inventory” in docs/running.md).')]
      : records.length === 0
        ? [h('p', {}, 'None of the nodes or users this alert names is in the inventory.')]
        : [
            h('p', {}, "As of the alert's last event; one gone by then (e.g. deleted by the alert's own event) as it was just before its first event."),
            nodes.length === 0 ? null : h('h3', {}, 'Nodes'),
            nodes.length === 0 ? null : table(['Name', 'Node id', 'Owner', 'Tags', 'Key expiry', 'Approved', 'Last seen', 'As of'], nodes.map(nodeRow)),
            users.length === 0 ? null : h('h3', {}, 'Users'),
            users.length === 0 ? null : table(['Login', 'Name', 'Role', 'Status', 'User id', 'As of'], users.map(userRow)),
          ];
  return h('section', { 'aria-labelledby': 'inventory-title', id: 'inventory' }, h('h2', { id: 'inventory-title' }, 'Inventory'), ...body);
}

function nodeRow({ record, asOf, goneByLastEvent }: NodeRecord): Child[] {
  const expiry = record.keyExpiryDisabled ? 'disabled' : record.keyExpired ? `expired${record.keyExpiry === undefined ? '' : ` (${formatTime(record.keyExpiry)})`}` : formatTime(record.keyExpiry ?? null);
  const approved = record.authorized === undefined ? '—' : record.authorized ? 'yes' : 'no';
  return [record.name ?? record.hostname ?? '—', h('code', {}, record.id), record.user ?? '—', (record.tags ?? []).join(', ') || '—', expiry, approved, formatTime(record.lastSeen ?? null), asOfCell(asOf, goneByLastEvent)];
}

function userRow({ record, asOf, goneByLastEvent }: UserRecord): Child[] {
  return [record.loginName ?? '—', record.displayName ?? '—', record.role ?? '—', record.status ?? '—', h('code', {}, record.id), asOfCell(asOf, goneByLastEvent)];
}

function asOfCell(asOf: string, gone: boolean): Child {
  return gone ? [formatTime(asOf), h('br'), h('strong', {}, "gone by the alert's last event")] : formatTime(asOf);
}
