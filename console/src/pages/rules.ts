// The loaded rules: severity, tags, MITRE mapping, alerts and matched events per day, last error, options in effect.
import { getJson } from '../api.ts';
import { sparkline } from '../charts.ts';
import { h, show } from '../dom.ts';
import type { RuleRow } from '../types.ts';

export async function rulesPage(): Promise<void> {
  const report = await getJson<{ firstDay: string | null; rules: RuleRow[] }>('/api/rules');
  const days = report.firstDay === null ? 'no alerts yet' : `14 days from ${report.firstDay} (event time)`;
  show(
    h('h1', {}, 'Rules'),
    h('p', {}, `${report.rules.length} rules loaded. Per-day counts: ${days}.`),
    h(
      'table',
      { class: 'rules' },
      h('thead', {}, h('tr', {}, ...['Rule', 'Severity', 'Tags', 'MITRE ATT&CK', 'Alerts / day', 'Matches / day', 'Last error', 'Options'].map((name) => h('th', { scope: 'col' }, name)))),
      h('tbody', {}, ...report.rules.map(ruleRow)),
    ),
  );
}

function ruleRow(rule: RuleRow): HTMLElement {
  const mitre = Object.entries(rule.reports).filter(([name]) => /mitre/i.test(name)).flatMap(([, values]) => values);
  const entries = Object.entries(rule.options);
  const options =
    entries.length === 0
      ? '—'
      : h('details', {}, h('summary', {}, `${entries.length} option${entries.length === 1 ? '' : 's'}`), h('dl', { class: 'options' }, ...entries.flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, h('code', {}, JSON.stringify(value)))])));
  return h(
    'tr',
    { 'data-rule-id': rule.id },
    h('th', { scope: 'row' }, h('a', { href: `#/alerts?rule=${encodeURIComponent(rule.id)}` }, rule.id), rule.enabled ? '' : ' (disabled)', stoppedNote(rule), h('div', { class: 'muted' }, [rule.displayName, rule.logTypes.join(', ')].filter(Boolean).join(' · '))),
    h('td', {}, h('span', { class: `severity severity-${rule.severity.toLowerCase()}` }, rule.severity)),
    h('td', {}, rule.tags.join(', ') || '—'),
    h('td', {}, mitre.join(', ') || '—'),
    h('td', {}, sparkline(`Alerts per day for ${rule.id}`, rule.alertsPerDay), ' ', rule.alertsPerDay.reduce((a, b) => a + b, 0)),
    h('td', {}, sparkline(`Matched events per day for ${rule.id}`, rule.matchesPerDay), ' ', rule.matchesPerDay.reduce((a, b) => a + b, 0)),
    h('td', {}, rule.lastError === null ? '—' : `${rule.lastError.message} (${rule.lastError.at})`),
    h('td', {}, options),
  );
}

/** The watchdog stopped the rule: it stays off until its file changes or tailwatch restarts. */
function stoppedNote(rule: RuleRow): HTMLElement | string {
  if (rule.stoppedByTimeBudget === null) return '';
  const { budgetMs } = rule.stoppedByTimeBudget;
  return h('div', { class: 'stopped', role: 'status' }, `Stopped: a call ran longer than its time budget of ${budgetMs} ms. Off until its file changes or tailwatch restarts.`);
}
