// The events that formed an alert, kept beside the history: the first and latest few of its matches with their event
// time and source, across snapshots (which drop the journal) and restarts; a threshold window's events from before the
// alert existed; an aggregate's crossing event; pruned with the history. And the matches per rule and day of event time.
import { afterEach, describe, expect, it } from 'vitest';
import { FIRST_EVENTS, LATEST_EVENTS, MAX_RECORD_CHARS } from '../../engine/alerts/alert-events.ts';
import { rulesReport } from '../../engine/console/rule-stats.ts';
import { ruleInfo } from '../../engine/rules/rule-info.ts';
import { storedAlertEvents } from '../../engine/pipeline/live/alert-event-store.ts';
import { loadRules } from '../../engine/rules/load-rules.ts';
import type { Database } from '../../engine/state/database.ts';
import { auditRecord, T0_MS } from '../rules/events.ts';
import { batchOf, pipelineDir, type PipelineDir } from './support/pipeline.ts';

let data: PipelineDir | undefined;
afterEach(() => data?.remove());

const alertIds = (db: Database) => (db.prepare('SELECT DISTINCT alert_id FROM alerts ORDER BY alert_id').all() as { alert_id: string }[]).map((row) => row.alert_id);
const removal = (minute: number, node: number) =>
  auditRecord(minute, { action: 'DELETE', actor: { id: 'ucarolCNTRL', type: 'USER', loginName: 'carol@example.com' }, target: { id: `nNode${node}CNTRL`, type: 'NODE' } });

describe('the events that formed an alert', () => {
  it('keeps the first and the latest of its matches, with event time and source, through snapshots and a restart', async () => {
    data = pipelineDir(['Tailscale.Magic.DNS.Disabled']);
    const first = await data.start();
    // 12 matches of one alert (one actor, one 60-minute window), a snapshot after every batch of three.
    for (let batch = 0; batch < 4; batch++) {
      await first.pipeline.handle(batchOf([0, 1, 2].map((i) => auditRecord(batch * 3 + i, { eventGroupID: `eg-${batch}-${i}` }))));
      await first.pipeline.snapshot();
    }
    expect(first.db.prepare('SELECT count(*) AS n FROM journal').get()).toEqual({ n: 0 });
    const [alertId] = alertIds(first.db);
    const again = await data.start();
    const events = storedAlertEvents(again.db, alertId ?? '');
    expect(events.map((event) => event.ordinal)).toEqual([1, 2, 3, 4, 5, 8, 9, 10, 11, 12]);
    expect(events).toHaveLength(FIRST_EVENTS + LATEST_EVENTS);
    expect(events[0]).toMatchObject({ eventTime: new Date(T0_MS).toISOString(), source: 'file', logType: 'Tailscale.Audit', truncated: false });
    expect(events[0]?.record).toMatchObject({ action: 'DISABLE', actor: { loginName: 'alice@example.com' }, eventGroupID: 'eg-0-0' });
    expect(events.at(-1)).toMatchObject({ ordinal: 12, eventTime: new Date(T0_MS + 11 * 60_000).toISOString() });
    expect(events.at(-1)?.record).toMatchObject({ eventGroupID: 'eg-3-2' });
  });

  it("keeps a threshold window's events from before its alert existed, across a snapshot and a restart", async () => {
    data = pipelineDir(['E2e.Nodes.Removed.Burst'], { rulesDir: 'fixtures/e2e/rules' });
    const first = await data.start();
    await first.pipeline.handle(batchOf([removal(1, 1), removal(2, 2)]));
    await first.pipeline.snapshot();
    expect(first.db.prepare('SELECT count(*) AS n FROM alert_events').get()).toEqual({ n: 0 });
    const again = await data.start();
    await again.pipeline.handle(batchOf([removal(3, 3)]));
    const [alertId] = alertIds(again.db);
    const events = storedAlertEvents(again.db, alertId ?? '');
    expect(events.map((event) => [event.ordinal, (event.record as { target: { id: string } }).target.id])).toEqual([[1, 'nNode1CNTRL'], [2, 'nNode2CNTRL'], [3, 'nNode3CNTRL']]);
  });

  it("keeps an aggregate alert's crossing event (its contributors are in the context)", async () => {
    data = pipelineDir(['Tailscale.High.Physical.Traffic.Received']);
    const { pipeline, db } = await data.start();
    const end = T0_MS + 5 * 60_000;
    const flow = {
      logged: new Date(end + 1000).toISOString(), nodeId: 'n6CNTRL', start: new Date(end - 5000).toISOString(), end: new Date(end).toISOString(),
      physicalTraffic: [{ src: '100.64.0.6:0', dst: '198.51.100.77:41641', txPkts: 2_000_000, txBytes: 30 * 2 ** 30 }],
    };
    await pipeline.handle(batchOf([flow]));
    const [alertId] = alertIds(db);
    const events = storedAlertEvents(db, alertId ?? '');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ ordinal: 1, logType: 'Tailscale.Network', eventTime: new Date(end).toISOString() });
    expect(events[0]?.record).toMatchObject({ nodeId: 'n6CNTRL', physicalTraffic: [{ dst: '198.51.100.77:41641' }] });
  });

  it('cuts a record longer than the bound, and says so', async () => {
    data = pipelineDir(['Tailscale.Magic.DNS.Disabled']);
    const { pipeline, db } = await data.start();
    await pipeline.handle(batchOf([auditRecord(1, { origin: 'x'.repeat(MAX_RECORD_CHARS) })]));
    const [event] = storedAlertEvents(db, alertIds(db)[0] ?? '');
    expect(event?.truncated).toBe(true);
    expect(typeof event?.record === 'string' && event.record.length).toBe(MAX_RECORD_CHARS);
  });

  it("drops an alert's events with the alert history's retention", async () => {
    let now = T0_MS;
    data = pipelineDir(['Tailscale.Magic.DNS.Disabled'], { pipeline: { now: () => now, historyRetentionDays: 1 } });
    const { pipeline, db } = await data.start();
    await pipeline.handle(batchOf([auditRecord(1)]));
    now += 86_400_000 - 1;
    await pipeline.snapshot();
    expect(db.prepare('SELECT count(*) AS n FROM alert_events').get()).toEqual({ n: 1 });
    now += 2;
    await pipeline.snapshot();
    expect(db.prepare('SELECT count(*) AS n FROM alert_events').get()).toEqual({ n: 0 });
    expect(alertIds(db)).toEqual([]);
  });
});

describe('matches per rule and day', () => {
  it('counts every match on its event time\'s day, those that formed no alert too, once even when a restart replays the journal', async () => {
    data = pipelineDir(['E2e.Nodes.Removed.Burst'], { rulesDir: 'fixtures/e2e/rules' });
    const first = await data.start();
    const dayBefore = -24 * 60;
    // The day before: 2 removals, below the threshold of 3 (no alert); the day of T0: 3 removals, one alert.
    await first.pipeline.handle(batchOf([removal(dayBefore, 1), removal(dayBefore + 1, 2)]));
    await first.pipeline.handle(batchOf([removal(0, 3), removal(1, 4), removal(2, 5)]));
    // Not snapshotted: the restart evaluates both batches again.
    const again = await data.start();
    const [row] = rulesReport(again.db, again.pipeline.rules).rules;
    expect(row?.matchesPerDay.slice(-3)).toEqual([0, 2, 3]);
    expect(row?.alertsPerDay.slice(-3)).toEqual([0, 0, 1]);
  });

  it('marks a rule the watchdog stopped, with its budget, on the rules page', async () => {
    data = pipelineDir(['Tailscale.Magic.DNS.Disabled']);
    const { db } = await data.start();
    const rules = await loadRules('rules', { only: ['Tailscale.Magic.DNS.Disabled', 'Tailscale.HTTPS.Disabled'] });
    const rows = rulesReport(db, rules.map(ruleInfo), [{ ruleId: 'Tailscale.HTTPS.Disabled', budgetMs: 300 }]).rules;
    expect(rows.map((row) => [row.id, row.stoppedByTimeBudget])).toEqual([
      ['Tailscale.Magic.DNS.Disabled', null],
      ['Tailscale.HTTPS.Disabled', { budgetMs: 300 }],
    ]);
  });
});
