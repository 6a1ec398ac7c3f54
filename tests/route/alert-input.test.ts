import { describe, expect, it } from 'vitest';
import { readAlerts } from '../../engine/route/alert-input.ts';
import { makeAlert } from '../support/make-alert.ts';

describe('readAlerts', () => {
  it('reads NDJSON, keeping good lines around a bad one', () => {
    const text = [JSON.stringify(makeAlert()), '{oops', JSON.stringify({ ruleId: 'X' }), JSON.stringify(makeAlert({ alertId: 'b' }))].join('\n');
    const results = readAlerts(text, 'alerts.ndjson');
    expect(results.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(results[1]).toMatchObject({ ok: false, message: expect.stringContaining('alerts.ndjson:2: invalid JSON') });
    expect(results[2]).toMatchObject({ ok: false, message: expect.stringMatching(/alerts\.ndjson:3: not an alert:[\s\S]*severity/) });
  });

  it('reads a pretty-printed object, an array, and fills defaults for a hand-written alert', () => {
    const [pretty] = readAlerts(JSON.stringify(makeAlert(), null, 2), 'a.json');
    expect(pretty).toEqual({ ok: true, alert: makeAlert() });
    const list = readAlerts(JSON.stringify([{ ruleId: 'R', severity: 'LOW' }]), 'b.json');
    expect(list).toEqual([{ ok: true, alert: expect.objectContaining({ ruleId: 'R', title: 'R', tags: [], logTypes: [], type: 'RULE' }) }]);
  });
});
