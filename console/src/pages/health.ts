// Health: readiness checks (sources, rules reload, outbox, destinations), record and reject counts, deliveries pending
// and dead-lettered with a retry button, and the quarantine browser.
import { getJson, postJson } from '../api.ts';
import { announce, errorBox, h, show, table } from '../dom.ts';
import type { HealthReport } from '../types.ts';

export async function healthPage(query: URLSearchParams): Promise<void> {
  const report = await getJson<HealthReport>('/api/health', query);
  const message = h('div', { role: 'status' });
  const counter = (name: string) => report.counters[name] ?? [];
  const label = (labels: Record<string, string | number>) => Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(' ');
  const retry = (destination: string) =>
    postJson<{ retried: number }>('/api/dead-letters/retry', { destination })
      .then(({ retried }) => {
        announce(`${retried} dead letters moved back to the outbox`);
        return healthPage(query);
      })
      .catch((error: Error) => message.replaceChildren(errorBox(error.message)));
  const reasonForm = h('form', { class: 'inline', 'aria-label': 'Filter quarantine' }, h('label', { for: 'quarantine-reason' }, 'Reason'), h('input', { id: 'quarantine-reason', name: 'reason', value: query.get('reason') ?? '' }), h('button', { type: 'submit' }, 'Filter'));
  reasonForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const reason = new FormData(reasonForm).get('reason');
    location.hash = `#/health${typeof reason === 'string' && reason.trim() !== '' ? `?reason=${encodeURIComponent(reason.trim())}` : ''}`;
  });
  show(
    h('h1', {}, 'Health'),
    h('p', {}, 'Readiness: ', h('strong', {}, report.readiness.ready ? 'ready' : 'not ready')),
    message,
    h('section', { 'aria-labelledby': 'checks-title' }, h('h2', { id: 'checks-title' }, 'Checks (sources, rules reload, outbox, destinations)'), table(['Check', 'OK', 'Detail'], report.readiness.checks.map((check) => [check.name, check.ok ? 'yes' : 'NO', check.detail ?? '']))),
    h(
      'section',
      { 'aria-labelledby': 'sources-title' },
      h('h2', { id: 'sources-title' }, 'Sources'),
      table(['Records received', 'Count'], counter('tailwatch_records_received_total').map((sample) => [label(sample.labels), sample.value])),
      table(['Rejected (source, reason)', 'Count'], counter('tailwatch_records_rejected_total').map((sample) => [label(sample.labels), sample.value])),
      table(['Event lag', 'Seconds'], counter('tailwatch_event_lag_seconds').map((sample) => [label(sample.labels) || 'newest event', sample.value.toFixed(1)])),
    ),
    h(
      'section',
      { 'aria-labelledby': 'destinations-title' },
      h('h2', { id: 'destinations-title' }, 'Destinations'),
      table(['Destination', 'Pending', 'Dead letters', ''], report.destinations.map((row) => [row.destination, row.pending, row.deadLetters, row.deadLetters === 0 ? '' : h('button', { type: 'button', onclick: () => void retry(row.destination) }, `Retry ${row.destination}`)])),
      table(['Delivery attempts', 'Count'], counter('tailwatch_deliveries_total').map((sample) => [label(sample.labels), sample.value])),
    ),
    h('section', { 'aria-labelledby': 'quarantine-title' }, h('h2', { id: 'quarantine-title' }, 'Quarantine (newest 100)'), reasonForm, table(['Received', 'Source', 'Line', 'Reason', 'Message', 'Record'], report.quarantine.map((row) => [row.receivedAt, row.source, row.line, row.reason, row.message, h('code', {}, row.raw.slice(0, 200))]))),
  );
}
