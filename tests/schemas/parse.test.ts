import { describe, expect, it } from 'vitest';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../../engine/schemas/index.ts';
import type { AuditEvent, NetworkEvent, ParseResult } from '../../engine/schemas/index.ts';

const context = { ...DEFAULT_PARSE_SETTINGS, sourceId: 'src-1', sourceLabel: 'Test source' };

const audit = {
  eventGroupID: 'eg1',
  origin: 'ADMIN_CONSOLE',
  actor: { id: 'uAlice', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' },
  action: 'DISABLE',
  eventTime: '2026-06-02T19:00:05.558444283Z',
  logged: '2026-06-02T19:00:07.000Z',
};

/** Panther stores audit records without their own times: the envelope's `time` is the event time. */
const storedAudit = { ...audit, eventTime: undefined, logged: undefined };

const network = {
  logged: '2026-06-02T19:00:01.346001489Z',
  nodeId: 'nSrc',
  start: '2026-06-02T18:59:54.278418352Z',
  end: '2026-06-02T18:59:59.279306235Z',
  srcNode: { nodeId: 'nSrc', name: 'a.example.ts.net', addresses: ['100.64.0.11', 'fd7a:115c:a1e0::11'], user: 'bob@example.com' },
  dstNodes: [{ nodeId: 'nDst', name: 'b.example.ts.net.', addresses: ['100.64.0.12'], user: 'carol@github' }, { nodeId: 'nTagged' }],
  virtualTraffic: [{ proto: 6, src: '100.64.0.11:22', dst: '100.64.0.12:58544', txPkts: 51, txBytes: 6420 }],
  subnetTraffic: [{ proto: 17, src: '[fd7a:115c:a1e0::11]:53', dst: '10.0.0.9:53', rxBytes: 2 ** 40 }],
  exitTraffic: [{ proto: 6, src: '100.x.x.x:1', dst: '192.555.66.77:443' }],
  physicalTraffic: [{ src: '100.64.0.11:0', dst: '198.51.100.7:41641', txPkts: 3 }, {}],
};

function ok(result: ParseResult) {
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

describe('parseRecord: delivery shapes', () => {
  it('normalises an API/S3 audit record into the envelope form', () => {
    const event = ok(parseRecord(audit, context)) as AuditEvent;
    expect(event).toEqual({
      event: audit,
      p_log_type: 'Tailscale.Audit',
      p_event_time: '2026-06-02T19:00:05.558Z',
      p_parse_time: '2026-06-02T19:00:07.000Z',
      p_row_id: expect.any(String),
      p_source_id: 'src-1',
      p_source_label: 'Test source',
      p_tailnet: 'default',
      p_any_ip_addresses: [],
      p_any_emails: ['alice@example.com'],
      p_any_actor_ids: ['uAlice'],
      p_any_usernames: ['alice'],
      p_any_domain_names: ['example.com'],
    });
    expect(Object.keys(event)[0]).toBe('event');
  });

  it('keeps the HEC envelope time and fields', () => {
    const event = ok(parseRecord({ time: 1780500776.773, event: network, fields: { recorded: '2026-06-03T15:33:01.552946176Z' } }, context));
    expect(event).toMatchObject({ time: 1780500776.773, fields: { recorded: '2026-06-03T15:33:01.552946176Z' }, p_event_time: '2026-06-02T18:59:59.279Z' });
    expect(Object.keys(event).slice(0, 3)).toEqual(['time', 'event', 'fields']);
  });

  it('reads the Panther-stored form, trusting content over a stored p_log_type, and recomputes p_* fields', () => {
    const stored = {
      event: storedAudit, fields: { recorded: '2023-07-19 16:10:38.825360311' }, time: '2023-07-19 16:10:38.365000000',
      p_log_type: 'Custom.TailscaleAudit', p_row_id: 'old', p_any_usernames: ['wrong'], p_schema_version: 4,
    };
    const event = ok(parseRecord(stored, context));
    expect(event).toMatchObject({ p_log_type: 'Tailscale.Audit', time: 1689783038.365, p_event_time: '2023-07-19T16:10:38.365Z', p_any_usernames: ['alice'] });
    expect(event.p_row_id).not.toBe('old');
    expect(event).not.toHaveProperty('p_schema_version');
    expect(ok(parseRecord({ ...stored, time: 1687906694.915 }, context)).p_event_time).toBe('2023-06-27T22:58:14.915Z');
  });

  it('classifies network records by content and keeps what Tailscale sends', () => {
    const event = ok(parseRecord(network, context)) as NetworkEvent;
    expect(event.p_log_type).toBe('Tailscale.Network');
    expect(event.event).toEqual(network);
    expect(event.event.subnetTraffic?.[0]?.rxBytes).toBe(2 ** 40);
    expect(event.p_event_time).toBe('2026-06-02T18:59:59.279Z');
  });

  it('accepts values outside the known enumerations', () => {
    const record = { ...audit, origin: 'SOMETHING_NEW', action: 'TELEPORT', actor: { id: 'x', type: 'ROBOT' }, target: { id: 't', type: 'GALAXY', property: 'WARP' } };
    expect(ok(parseRecord(record, context)).event).toEqual(record);
  });

  it('unwraps a Panther rule test case (log / pypanther Log next to its expected result)', () => {
    const stored = { event: storedAudit, p_log_type: 'Tailscale.Audit', time: '2023-07-19 16:10:38.365000000' };
    for (const testCase of [{ name: 'n', expectedResult: true, log: stored }, { Name: 'n', ExpectedResult: false, Log: audit }]) {
      const event = ok(parseRecord(testCase, context));
      expect(event.event).toEqual('log' in testCase ? storedAudit : audit);
      expect(event.p_log_type).toBe('Tailscale.Audit');
    }
    expect(ok(parseRecord({ expectedResult: true, log: stored }, context)).p_event_time).toBe('2023-07-19T16:10:38.365Z');
    expect(parseRecord({ name: 'n', log: audit }, context)).toMatchObject({ ok: false, reason: 'unknown_log_type' });
  });

  it('gives each event its own row id', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => ok(parseRecord(audit, context)).p_row_id));
    expect(ids.size).toBe(1000);
  });
});

describe('parseRecord: p_event_time precedence', () => {
  const time = (value: unknown) => {
    const result = parseRecord(value, context);
    return result.ok ? result.event.p_event_time : result.message;
  };
  const noTimes = { ...audit, eventTime: undefined, logged: undefined };

  it('eventTime / end > envelope time > logged > fields.recorded', () => {
    expect(time({ time: 1780426805.1, event: audit })).toBe('2026-06-02T19:00:05.558Z');
    expect(time({ time: 1780426805.1, event: network })).toBe('2026-06-02T18:59:59.279Z');
    expect(time(audit)).toBe('2026-06-02T19:00:05.558Z');
    expect(time({ time: 1780426805.1, event: { ...audit, eventTime: undefined } })).toBe('2026-06-02T19:00:05.100Z');
    expect(time({ ...audit, eventTime: undefined })).toBe('2026-06-02T19:00:07.000Z');
    expect(time({ event: noTimes, fields: { recorded: '2026-06-02T19:00:08.5Z' } })).toBe('2026-06-02T19:00:08.500Z');
    expect(time({ ...network, end: '0001-01-01T00:00:00Z' })).toBe('2026-06-02T19:00:01.346Z');
  });

  it('gives a record the same p_event_time as an API/S3 record, a HEC envelope and a Panther-stored row', () => {
    const hec = { time: 1780426807.9, event: audit, fields: { recorded: '2026-06-02T19:00:08.101Z' } };
    const stored = { event: audit, fields: { recorded: '2026-06-02 19:00:08.101' }, time: '2026-06-02 19:00:07.900000000', p_event_time: '2026-06-02 19:00:07.900000' };
    expect([time(audit), time(hec), time(stored), time({ expectedResult: true, log: stored })]).toEqual(Array(4).fill('2026-06-02T19:00:05.558Z'));
  });

  it('p_parse_time is the receive time live; without one, logged, else fields.recorded, else the event time (never the wall clock)', () => {
    const parseTime = (value: unknown, receivedAtMs?: number) => {
      const result = parseRecord(value, receivedAtMs === undefined ? context : { ...context, receivedAtMs });
      return result.ok ? result.event.p_parse_time : result.message;
    };
    expect(parseTime(audit, Date.parse('2026-06-02T19:01:00.000Z'))).toBe('2026-06-02T19:01:00.000Z');
    expect(parseTime(audit)).toBe('2026-06-02T19:00:07.000Z');
    expect(parseTime({ event: noTimes, time: 1780426805.1, fields: { recorded: '2026-06-02T19:00:08.5Z' } })).toBe('2026-06-02T19:00:08.500Z');
    expect(parseTime({ ...audit, logged: undefined })).toBe('2026-06-02T19:00:05.558Z');
  });

  it('sets p_tailnet from the context', () => {
    expect(ok(parseRecord(audit, { ...context, tailnet: 'example.com' })).p_tailnet).toBe('example.com');
  });
});

describe('parseRecord: invalid_time', () => {
  const reject = (value: unknown) => parseRecord(value, context);

  it('rejects a time field that is present but invalid, naming the field and value, instead of using another time', () => {
    expect(reject({ ...audit, eventTime: 'yesterday' })).toEqual({
      ok: false, reason: 'invalid_time', message: 'Tailscale.Audit record has an invalid eventTime: "yesterday"',
    });
    expect(reject({ ...network, end: '2026-13-01T00:00:00Z' })).toMatchObject({ reason: 'invalid_time', message: expect.stringContaining('invalid end: "2026-13-01T00:00:00Z"') });
    expect(reject({ time: 'not a time', event: network })).toMatchObject({ reason: 'invalid_time', message: expect.stringContaining('invalid time: "not a time"') });
    expect(reject({ ...audit, logged: 'soon' })).toMatchObject({ reason: 'invalid_time', message: expect.stringContaining('invalid logged: "soon"') });
    expect(reject({ event: audit, fields: { recorded: 'later' } })).toMatchObject({ reason: 'invalid_time', message: expect.stringContaining('invalid fields.recorded: "later"') });
  });

  it('rejects a record with no time at all', () => {
    expect(reject({ ...audit, eventTime: undefined, logged: undefined })).toEqual({
      ok: false, reason: 'invalid_time',
      message: 'Tailscale.Audit record has no event time (eventTime, time, logged and fields.recorded are all absent)',
    });
  });
});

describe('parseRecord: time_out_of_range', () => {
  const live = { ...context, receivedAtMs: Date.parse('2026-06-02T19:00:10.000Z') };
  const reason = (value: unknown, parseContext = context) => {
    const result = parseRecord(value, parseContext);
    return result.ok ? 'ok' : `${result.reason}: ${result.message}`;
  };

  it('rejects an event time more than the skew ahead of logged or fields.recorded, in every mode', () => {
    expect(reason({ ...audit, eventTime: '2026-06-02T19:05:07.000Z' })).toBe('ok');
    expect(reason({ ...audit, eventTime: '2026-06-02T19:05:07.001Z' })).toBe(
      'time_out_of_range: event time 2026-06-02T19:05:07.001Z (eventTime) is more than 5 minutes ahead of logged 2026-06-02T19:00:07.000Z',
    );
    expect(reason({ time: 8_000_000_000_000, event: { ...audit, eventTime: undefined, logged: undefined }, fields: { recorded: '2026-06-02T19:00:08Z' } }))
      .toMatch(/^time_out_of_range: event time \+255479-.* \(time\) is more than 5 minutes ahead of fields\.recorded 2026-06-02T19:00:08\.000Z$/);
    expect(reason({ ...audit, eventTime: '2026-06-02T19:10:00Z' }, { ...context, maxFutureSkewMs: 10 * 60_000 })).toBe('ok');
  });

  it('live, also more than the skew ahead of the receive time', () => {
    const ahead = { time: 8_000_000_000_000, event: { ...audit, eventTime: undefined, logged: undefined } };
    expect(reason(ahead)).toBe('ok');
    expect(reason(ahead, live)).toMatch(/^time_out_of_range: .* ahead of the receive time 2026-06-02T19:00:10\.000Z$/);
    expect(reason({ ...audit, logged: undefined, eventTime: '2026-06-02T19:05:10.001Z' }, live)).toMatch(/ahead of the receive time/);
    expect(reason({ ...audit, logged: undefined, eventTime: '2026-06-02T19:05:10Z' }, live)).toBe('ok');
  });

  it('rejects an event time before 2019, however it arrives', () => {
    expect(reason({ ...audit, eventTime: '2018-12-31T23:59:59.999Z' }, live)).toBe(
      'time_out_of_range: event time 2018-12-31T23:59:59.999Z (eventTime) is before 2019-01-01T00:00:00.000Z',
    );
    expect(reason({ time: 0, event: { ...audit, eventTime: undefined } })).toMatch(/^time_out_of_range: event time 1970-01-01T00:00:00.000Z \(time\) is before/);
    expect(reason({ ...audit, eventTime: '2019-01-01T00:00:00Z', logged: '2019-01-01T00:00:01Z' })).toBe('ok');
  });
});

describe('parseRecord: indicators', () => {
  it('collects IPs, emails, user names and domain names of a network event', () => {
    const event = ok(parseRecord(network, context));
    expect(event).toMatchObject({
      p_any_ip_addresses: ['100.64.0.11', 'fd7a:115c:a1e0::11', '100.64.0.12', '10.0.0.9', '198.51.100.7'],
      p_any_emails: ['bob@example.com'],
      p_any_usernames: ['bob', 'carol'],
      p_any_domain_names: ['a.example.ts.net', 'b.example.ts.net'],
      p_any_actor_ids: [],
    });
  });

  it('computes network IPs on demand, yet JSON, spreading and assignment see a plain field', () => {
    const event = ok(parseRecord(network, context));
    const json = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
    expect(json.p_any_ip_addresses).toHaveLength(5);
    expect(Object.keys(json)).toEqual(Object.keys(event));
    expect({ ...event }.p_any_ip_addresses).toBe(event.p_any_ip_addresses);
    event.p_any_ip_addresses = ['1.2.3.4'];
    expect(event.p_any_ip_addresses).toEqual(['1.2.3.4']);
  });

  it('computes audit indicators on first read, yet JSON, spreading and assignment see plain fields', () => {
    const event = ok(parseRecord(audit, context));
    const json = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
    expect(json).toMatchObject({ p_any_emails: ['alice@example.com'], p_any_usernames: ['alice'], p_any_actor_ids: ['uAlice'], p_any_domain_names: ['example.com'] });
    expect(Object.keys(json)).toEqual(Object.keys(event));
    expect(Object.keys(json).filter((key) => key.startsWith('p_any_'))).toEqual(['p_any_ip_addresses', 'p_any_emails', 'p_any_actor_ids', 'p_any_usernames', 'p_any_domain_names']);
    const assigned = ok(parseRecord(audit, context));
    assigned.p_any_usernames = ['someone'];
    expect([assigned.p_any_usernames, assigned.p_any_emails]).toEqual([['someone'], ['alice@example.com']]);
    expect({ ...event }.p_any_actor_ids).toBe(event.p_any_actor_ids);
  });

  it('only takes audit target names that are host names or emails', () => {
    const names = (name: string) => {
      const event = ok(parseRecord({ ...audit, target: { id: 't', type: 'NODE', name } }, context));
      return [event.p_any_domain_names, event.p_any_emails];
    };
    expect(names('node1.yak-bebop.ts.net')).toEqual([['node1.yak-bebop.ts.net'], ['alice@example.com']]);
    expect(names('Control API key')).toEqual([[], ['alice@example.com']]);
    expect(names('100.64.0.1')).toEqual([[], ['alice@example.com']]);
    expect(names('dave@example.org')).toEqual([[], ['alice@example.com', 'dave@example.org']]);
  });
});

describe('parseRecord: rejects', () => {
  it('not_an_object', () => {
    for (const value of [null, 42, 'text', [audit]]) expect(parseRecord(value, context)).toMatchObject({ ok: false, reason: 'not_an_object' });
    expect(parseRecord([1], context)).toEqual({ ok: false, reason: 'not_an_object', message: 'record is an array, not a JSON object' });
  });

  it('unknown_log_type names the fields it found', () => {
    expect(parseRecord({ ruleId: 'x', name: 'y', log: {} }, context)).toEqual({
      ok: false, reason: 'unknown_log_type', message: 'not a Tailscale audit, network or webhook record: an object with fields ruleId, name, log',
    });
    expect(parseRecord({ event: {} }, context)).toMatchObject({ reason: 'unknown_log_type', message: expect.stringContaining('an empty object') });
  });

  it('schema_mismatch says which field is wrong, on one line', () => {
    const result = parseRecord({ ...audit, actor: { id: 7, type: 'USER' } }, context);
    expect(result).toMatchObject({ ok: false, reason: 'schema_mismatch' });
    expect(result.ok ? '' : result.message).toMatch(/^Tailscale\.Audit record does not match its schema: .*actor\.id/);
    expect(result.ok ? '' : result.message).not.toContain('\n');
    expect(parseRecord({ ...network, virtualTraffic: [{ src: 5 }] }, context)).toMatchObject({ reason: 'schema_mismatch', message: expect.stringContaining('virtualTraffic[0].src') });
  });
});
