// One alert: its fields and links, readable context, the events that formed it, the inventory of what it names,
// revisions, deliveries, triage actions and the timeline.
import { eventsSection, inventorySection } from '../alert-evidence.ts';
import { getJson, postJson } from '../api.ts';
import { contextView } from '../context-view.ts';
import { announce, errorBox, formatTime, h, show, table, type Child } from '../dom.ts';
import { STATUS_LABELS, type AlertDetail, type Triage, type TriageStatus } from '../types.ts';

/** The buttons each status offers (the server enforces the same transitions). */
const ACTIONS: Record<TriageStatus, [TriageStatus, string][]> = {
  open: [['acknowledged', 'Acknowledge'], ['resolved', 'Resolve'], ['false_positive', 'False positive']],
  acknowledged: [['resolved', 'Resolve'], ['false_positive', 'False positive'], ['open', 'Reopen']],
  resolved: [['open', 'Reopen']],
  false_positive: [['open', 'Reopen']],
};

export async function alertPage(alertId: string): Promise<void> {
  const detail = await getJson<AlertDetail>('/api/alert', new URLSearchParams({ id: alertId }));
  const { alert } = detail;
  const triageRegion = h('section', { 'aria-labelledby': 'triage-title' });
  const renderTriage = (triage: Triage) => triageRegion.replaceChildren(h('div', {}, ...triageSection(alertId, triage, renderTriage)));
  renderTriage(detail.triage);
  const link = (label: string, url: string) => h('a', { href: url, rel: 'noreferrer noopener', target: '_blank' }, label);
  show(
    h('p', {}, h('a', { href: '#/alerts' }, '← All alerts')),
    h('h1', {}, alert.title),
    h(
      'dl',
      { class: 'fields' },
      field('Severity', h('span', { class: `severity severity-${alert.severity.toLowerCase()}` }, alert.severity)),
      field('Rule', alert.ruleId),
      field('Tailnet', alert.tailnet),
      field('Events', alert.eventCount),
      field('First event', formatTime(alert.firstEventTime)),
      field('Last event', formatTime(alert.lastEventTime)),
      field('Window', `${formatTime(alert.windowStart)} – ${formatTime(alert.windowEnd)}`),
      field('Log types', alert.logTypes.join(', ')),
      field('Tags', alert.tags.join(', ') || '—'),
      ...Object.entries(alert.reports).map(([name, values]) => field(name, values.join(', '))),
      field('Dedup', h('code', {}, alert.dedup)),
      field('Alert id', h('code', {}, alert.alertId)),
    ),
    alert.description === undefined ? null : h('p', { class: 'description' }, alert.description),
    alert.error === undefined ? null : errorBox(`${alert.error.name}: ${alert.error.message}`),
    alert.runbook === undefined ? null : h('section', { 'aria-labelledby': 'runbook-title' }, h('h2', { id: 'runbook-title' }, 'Runbook'), isLink(alert.runbook) ? link(alert.runbook, alert.runbook) : h('p', {}, alert.runbook)),
    alert.reference === undefined ? null : h('p', {}, 'Reference: ', isLink(alert.reference) ? link(alert.reference, alert.reference) : alert.reference),
    h('section', { 'aria-labelledby': 'context-title' }, h('h2', { id: 'context-title' }, 'Context'), contextView(alert.alertContext)),
    eventsSection(detail),
    inventorySection(detail),
    triageRegion,
    suppressSection(alertId, alert.ruleId),
    h(
      'section',
      { 'aria-labelledby': 'revisions-title' },
      h('h2', { id: 'revisions-title' }, 'Revisions'),
      h('p', {}, 'Each revision is the alert as it grew; a match shows in the events before the next revision counts it.'),
      table(['Revision', 'Events', 'Last event', 'Recorded'], detail.revisions.map((r) => [r.revision, r.eventCount, formatTime(r.lastEventTime), formatTime(r.recordedAt)])),
    ),
    h(
      'section',
      { 'aria-labelledby': 'deliveries-title' },
      h('h2', { id: 'deliveries-title' }, 'Deliveries'),
      detail.deliveries.length === 0 ? h('p', {}, 'Routed to no destination.') : table(['Destination', 'Revision', 'Outcome', 'Attempts', 'Error'], detail.deliveries.map((d) => [d.destination, d.revision, d.state, d.attempts ?? '—', d.error ?? '—'])),
    ),
  );
}

const SUPPRESS_FOR: [hours: string, label: string][] = [['1', '1 hour'], ['4', '4 hours'], ['24', '1 day'], ['168', '7 days'], ['720', '30 days']];

/** Silences this alert's rule for its tailnet and dedup key (docs/suppressions.md), from its window's start. */
function suppressSection(alertId: string, ruleId: string): HTMLElement {
  const message = h('div', { role: 'status' });
  const form = h(
    'form',
    { class: 'inline', 'aria-labelledby': 'suppress-title' },
    h('label', { for: 'suppress-hours' }, 'For'),
    h('select', { id: 'suppress-hours', name: 'hours' }, ...SUPPRESS_FOR.map(([value, label]) => h('option', { value, selected: value === '4' }, label))),
    h('label', { for: 'suppress-reason' }, 'Reason'),
    h('input', { id: 'suppress-reason', name: 'reason', required: true, size: 40 }),
    h('button', { type: 'submit' }, 'Suppress'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    postJson<{ id: string; expires: string }>('/api/alert/suppress', { id: alertId, hours: Number(data.get('hours')), reason: String(data.get('reason') ?? '') })
      .then((answer) => {
        announce(`Suppressed as ${answer.id}`);
        return alertPage(alertId).then(() => document.getElementById('suppress-result')?.replaceChildren(`${answer.id}: suppressed until ${formatTime(answer.expires)}`));
      })
      .catch((error: Error) => message.replaceChildren(errorBox(error.message)));
  });
  return h(
    'section',
    { 'aria-labelledby': 'suppress-title' },
    h('h2', { id: 'suppress-title' }, 'Suppress like this…'),
    h('p', {}, `Matches of ${ruleId} with this alert's dedup key in its tailnet create no deliveries until the expiry (they are still kept in the history).`),
    h('p', { id: 'suppress-result', role: 'status' }),
    form,
    message,
  );
}

function triageSection(alertId: string, triage: Triage, rerender: (triage: Triage) => void): Child[] {
  const message = h('div');
  const change = (body: Record<string, unknown>, done: string) =>
    postJson<Triage>('/api/alert/triage', { id: alertId, ...body })
      .then((next) => {
        rerender(next);
        announce(done);
      })
      .catch((error: Error) => message.replaceChildren(errorBox(error.message)));
  const assignee = h('input', { id: 'triage-assignee', name: 'assignee', value: triage.assignee ?? '' });
  const note = h('textarea', { id: 'triage-note', name: 'note', rows: 3 });
  const assign = h('form', { class: 'inline' }, h('label', { for: 'triage-assignee' }, 'Assignee'), assignee, h('button', { type: 'submit' }, 'Save assignee'));
  assign.addEventListener('submit', (event) => {
    event.preventDefault();
    void change({ assignee: assignee.value.trim() || null }, 'Assignee saved');
  });
  const notes = h('form', {}, h('label', { for: 'triage-note' }, 'Add a note'), note, h('button', { type: 'submit' }, 'Add note'));
  notes.addEventListener('submit', (event) => {
    event.preventDefault();
    void change({ note: note.value }, 'Note added');
  });
  return [
    h('h2', { id: 'triage-title' }, 'Triage'),
    h('p', {}, 'Status: ', h('strong', { id: 'triage-status' }, STATUS_LABELS[triage.status]), triage.assignee === null ? '' : ` · assigned to ${triage.assignee}`),
    h('div', { class: 'actions', role: 'group', 'aria-label': 'Change status' }, ...ACTIONS[triage.status].map(([status, label]) => h('button', { type: 'button', onclick: () => void change({ status }, `Now ${STATUS_LABELS[status]}`) }, label))),
    assign,
    notes,
    message,
    h('h3', {}, 'Timeline'),
    triage.timeline.length === 0
      ? h('p', {}, 'No changes yet.')
      : h('ol', { class: 'timeline' }, ...triage.timeline.map((entry) => h('li', {}, h('time', { datetime: entry.at }, formatTime(entry.at)), ' ', h('strong', {}, entry.who), ' ', describe(entry)))),
  ];
}

function describe(entry: Triage['timeline'][number]): string {
  if (entry.change === 'note') return `noted: ${entry.note ?? ''}`;
  const name = (value: string | null) => (value === null ? 'nobody' : entry.change === 'status' ? STATUS_LABELS[value as TriageStatus] : value);
  return entry.change === 'status' ? `changed status from ${name(entry.from)} to ${name(entry.to)}` : `assigned ${name(entry.to)} (was ${name(entry.from)})`;
}

/** Only http(s) links become anchors (a rule's text could hold a javascript: URL). */
function isLink(text: string): boolean {
  return /^https?:\/\/\S+$/.test(text);
}

function field(name: string, value: Child): Child[] {
  return [h('dt', {}, name), h('dd', {}, value)];
}
