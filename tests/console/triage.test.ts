// Triage on a real SQLite file: allowed transitions, who/when in the timeline, bulk changes that skip what does not
// apply, and a later revision's delivery (the webhook payload) carrying the triage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertTriage, changeTriage, changeTriageMany, pruneTriage, TriageError } from '../../engine/console/triage.ts';
import { listPending } from '../../engine/destinations/outbox-admin.ts';
import { webhookPayload } from '../../engine/destinations/webhook-payload.ts';
import { auditRecord } from '../rules/events.ts';
import { batchOf, pipelineDir, type PipelineDir } from './support/pipeline.ts';

let data: PipelineDir;
beforeEach(() => {
  data = pipelineDir(['Tailscale.Magic.DNS.Disabled', 'Tailscale.HTTPS.Disabled']);
});
afterEach(() => data.remove());

const httpsRecord = (minute: number) => auditRecord(minute, { target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'HTTPS' } });

describe('triage', () => {
  it('moves open → acknowledged → resolved, records who and when, and refuses a jump back from resolved', async () => {
    const { pipeline, db } = await data.start();
    await pipeline.handle(batchOf([auditRecord(1)]));
    const [row] = listPending(db);
    const alertId = row?.alertId ?? '';
    expect(alertTriage(db, alertId)).toEqual({ status: 'open', assignee: null, timeline: [] });

    changeTriage(db, alertId, { status: 'acknowledged', assignee: 'bob' }, 'ann', Date.parse('2026-06-03T16:00:00Z'));
    const resolved = changeTriage(db, alertId, { status: 'resolved', note: 'planned change' }, 'bob', Date.parse('2026-06-03T16:05:00Z'));
    expect(resolved).toEqual({
      status: 'resolved',
      assignee: 'bob',
      timeline: [
        { at: '2026-06-03T16:00:00.000Z', who: 'ann', change: 'status', from: 'open', to: 'acknowledged', note: null },
        { at: '2026-06-03T16:00:00.000Z', who: 'ann', change: 'assignee', from: null, to: 'bob', note: null },
        { at: '2026-06-03T16:05:00.000Z', who: 'bob', change: 'status', from: 'acknowledged', to: 'resolved', note: null },
        { at: '2026-06-03T16:05:00.000Z', who: 'bob', change: 'note', from: null, to: null, note: 'planned change' },
      ],
    });
    expect(() => changeTriage(db, alertId, { status: 'acknowledged' }, 'ann', 0)).toThrow(TriageError);
    expect(() => changeTriage(db, 'no-such-alert', { status: 'acknowledged' }, 'ann', 0)).toThrow(/no alert no-such-alert/);
    expect(alertTriage(db, alertId).timeline).toHaveLength(4);
  });

  it('forgets the triage of an alert once the history has dropped it', async () => {
    const { pipeline, db } = await data.start();
    await pipeline.handle(batchOf([auditRecord(1), httpsRecord(2)]));
    const [kept, dropped] = listPending(db).map((row) => row.alertId);
    for (const id of [kept, dropped]) changeTriage(db, id ?? '', { status: 'acknowledged' }, 'ann', 1);
    db.prepare('DELETE FROM alerts WHERE alert_id = ?').run(dropped ?? '');
    pruneTriage(db);
    expect(db.prepare('SELECT alert_id FROM alert_triage').all()).toEqual([{ alert_id: kept }]);
    expect(db.prepare('SELECT DISTINCT alert_id FROM alert_triage_log').all()).toEqual([{ alert_id: kept }]);
  });

  it('changes many alerts in one go and skips the ones the change does not apply to', async () => {
    const { pipeline, db } = await data.start();
    await pipeline.handle(batchOf([auditRecord(1), httpsRecord(2)]));
    const ids = listPending(db).map((row) => row.alertId);
    changeTriage(db, ids[0] ?? '', { status: 'false_positive' }, 'ann', 1);
    expect(changeTriageMany(db, ids, { status: 'acknowledged' }, 'ann', 2)).toEqual({ changed: 1, skipped: 1 });
    expect(ids.map((id) => alertTriage(db, id).status)).toEqual(['false_positive', 'acknowledged']);
  });

  it('puts the triage into the webhook payload of the alert’s later revisions', async () => {
    const { pipeline, db } = await data.start();
    await pipeline.handle(batchOf([auditRecord(1)]));
    const first = listPending(db)[0];
    expect(first === undefined ? undefined : webhookPayload(first.alert, first.enqueuedAt).triage).toBeNull();
    changeTriage(db, first?.alertId ?? '', { status: 'acknowledged', note: 'on it' }, 'ann', Date.parse('2026-06-03T15:10:00Z'));

    // A second match in the window, then an event past the window's end plus the lateness: revision 2 settles.
    await pipeline.handle(batchOf([auditRecord(3, { eventGroupID: 'eg3b' }), httpsRecord(75)]));
    const second = listPending(db).find((row) => row.revision === 2);
    expect(second).toBeDefined();
    const payload = webhookPayload(second!.alert, second!.enqueuedAt);
    expect(payload.triage).toMatchObject({ status: 'acknowledged', assignee: null, timeline: [{ who: 'ann', to: 'acknowledged' }, { note: 'on it' }] });
  });
});
