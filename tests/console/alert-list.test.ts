// The console's alert list over the ledger: latest revision only, every filter, and keyset pages that together give
// each alert exactly once in order, however many alerts share a first-event time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAlerts, matchingAlertIds, parseAlertFilter } from '../../engine/console/alert-list.ts';
import { changeTriage } from '../../engine/console/triage.ts';
import { AlertLedger } from '../../engine/pipeline/live/alert-ledger.ts';
import { openDatabase, type Database } from '../../engine/state/database.ts';
import { makeAlert } from '../support/make-alert.ts';

let dir: string;
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tailwatch-alert-list-'));
  db = openDatabase(dir);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const minute = (m: number) => new Date(Date.UTC(2026, 5, 3, 15, m)).toISOString();

function seed(): void {
  const ledger = new AlertLedger(db);
  const add = (id: string, m: number, fields: Parameters<typeof makeAlert>[0] = {}) => ledger.add(makeAlert({ alertId: id, firstEventTime: minute(m), ...fields }), 0);
  add('a-dns', 1, { title: 'alice disabled Magic DNS', dedup: 'alice@example.com' });
  add('a-dns', 1, { title: 'alice disabled Magic DNS', dedup: 'alice@example.com', revision: 2, eventCount: 5 });
  add('b-https', 2, { ruleId: 'Tailscale.HTTPS.Disabled', title: 'erin disabled HTTPS', severity: 'MEDIUM', dedup: 'erin@example.com', tags: ['Tailscale'] });
  add('c-flow', 3, { ruleId: 'Tailscale.SSH.Fanout', title: 'SSH fan-out', severity: 'LOW', tailnet: 'corp', dedup: 'nNode9', alertContext: { node: 'node-9.example.ts.net' } });
}

const ids = (query: string) => listAlerts(db, parseAlertFilter(new URLSearchParams(query)), 50).alerts.map((alert) => alert.alertId);

describe('the console alert list', () => {
  it('shows each alert once, its latest revision, newest first event first', () => {
    seed();
    const page = listAlerts(db, {}, 50);
    expect(page.alerts.map((alert) => [alert.alertId, alert.revision, alert.status])).toEqual([
      ['c-flow', 1, 'open'],
      ['b-https', 1, 'open'],
      ['a-dns', 2, 'open'],
    ]);
    expect(page.next).toBeNull();
  });

  it('filters by severity, rule, status, tailnet, tag, node, user, time range and title text', () => {
    seed();
    changeTriage(db, 'b-https', { status: 'acknowledged' }, 'ann', 0);
    expect(ids('severity=HIGH,MEDIUM')).toEqual(['b-https', 'a-dns']);
    expect(ids('rule=Tailscale.SSH.Fanout')).toEqual(['c-flow']);
    expect(ids('status=acknowledged')).toEqual(['b-https']);
    expect(ids('status=open')).toEqual(['c-flow', 'a-dns']);
    expect(ids('tailnet=corp')).toEqual(['c-flow']);
    expect(ids('tag=Defense Evasion')).toEqual(['c-flow', 'a-dns']);
    expect(ids('node=NODE-9.example')).toEqual(['c-flow']);
    expect(ids('user=erin@example.com')).toEqual(['b-https']);
    expect(ids(`from=${minute(2)}&to=${minute(3)}`)).toEqual(['b-https']);
    expect(ids('q=magic dns')).toEqual(['a-dns']);
    expect(matchingAlertIds(db, parseAlertFilter(new URLSearchParams('severity=LOW,MEDIUM')), 10)).toEqual(['c-flow', 'b-https']);
  });

  it('names a bad filter value', () => {
    expect(() => parseAlertFilter(new URLSearchParams('severity=SEVERE'))).toThrow('severity "SEVERE" is not one of INFO, LOW, MEDIUM, HIGH, CRITICAL');
    expect(() => parseAlertFilter(new URLSearchParams('from=yesterday'))).toThrow(/from "yesterday" is not a date/);
  });

  it('pages with a keyset cursor: every alert exactly once, in order, across equal first-event times', () => {
    const ledger = new AlertLedger(db);
    for (let i = 0; i < 57; i++) ledger.add(makeAlert({ alertId: `x-${String(i).padStart(2, '0')}`, firstEventTime: minute(i % 5) }), 0);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = listAlerts(db, {}, 10, cursor);
      seen.push(...page.alerts.map((alert) => alert.alertId));
      if (page.next === null) break;
      cursor = page.next;
    }
    const expected = Array.from({ length: 57 }, (_, i) => ({ id: `x-${String(i).padStart(2, '0')}`, m: i % 5 }))
      .sort((a, b) => b.m - a.m || a.id.localeCompare(b.id))
      .map((entry) => entry.id);
    expect(seen).toEqual(expected);
  });
});
