import { Gauge } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../engine/telemetry/metrics.ts';

describe('Metrics', () => {
  it('exposes every tailwatch metric and the process metrics in Prometheus text', async () => {
    const metrics = new Metrics();
    metrics.recordsReceived('hec', 3);
    metrics.recordsRejected('hec', 'invalid_json');
    metrics.events('Tailscale.Audit', 'acme', 2);
    metrics.ruleMatch('Tailscale.Magic.DNS.Disabled');
    metrics.ruleError('Tailscale.Broken');
    metrics.alert('Tailscale.Magic.DNS.Disabled', 'HIGH', 'acme');
    metrics.delivery('secops-slack', 'delivered');
    metrics.setOutboxPending(4);
    metrics.eventSeen(Date.now() - 30_000);
    metrics.ingestToAlertSeconds(0.2);
    metrics.setRulesLoaded(12);
    metrics.configReloadFailed();
    metrics.httpRequest('hec', 200);
    const text = await metrics.text();
    for (const line of [
      'tailwatch_records_received_total{source="hec"} 3',
      'tailwatch_records_rejected_total{source="hec",reason="invalid_json"} 1',
      'tailwatch_events_total{log_type="Tailscale.Audit",tailnet="acme"} 2',
      'tailwatch_rule_matches_total{rule_id="Tailscale.Magic.DNS.Disabled"} 1',
      'tailwatch_rule_errors_total{rule_id="Tailscale.Broken"} 1',
      'tailwatch_alerts_total{rule_id="Tailscale.Magic.DNS.Disabled",severity="HIGH",tailnet="acme"} 1',
      'tailwatch_deliveries_total{destination="secops-slack",outcome="delivered"} 1',
      'tailwatch_outbox_pending 4',
      'tailwatch_ingest_to_alert_seconds_count 1',
      'tailwatch_rules_loaded 12',
      'tailwatch_config_reload_failures_total 1',
      'tailwatch_http_requests_total{route="hec",code="200"} 1',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toContain('process_cpu_user_seconds_total');
    const lag = Number(/^tailwatch_event_lag_seconds (\S+)$/m.exec(text)?.[1]);
    expect(lag).toBeGreaterThanOrEqual(30);
    expect(metrics.contentType).toContain('text/plain');
  });

  it('counts through cached label children and keeps the latest event time for the lag', async () => {
    const metrics = new Metrics({ processMetrics: false });
    for (let i = 0; i < 5; i++) metrics.recordsReceived('file');
    metrics.eventSeen(Date.now() - 10_000);
    metrics.eventSeen(Date.now() - 3_600_000);
    const text = await metrics.text();
    expect(text).toContain('tailwatch_records_received_total{source="file"} 5');
    expect(text).not.toContain('process_cpu');
    const lag = Number(/^tailwatch_event_lag_seconds (\S+)$/m.exec(text)?.[1]);
    expect(lag).toBeGreaterThanOrEqual(10);
    expect(lag).toBeLessThan(3600);
  });

  it('keeps registries apart, so two instances never clash', async () => {
    const a = new Metrics({ processMetrics: false });
    const b = new Metrics({ processMetrics: false });
    a.ruleMatch('x');
    expect(await b.text()).not.toContain('rule_id="x"');
  });

  it('renders the exposition once for a flood of scrapes (cached about a second)', async () => {
    const metrics = new Metrics({ processMetrics: false });
    let renderings = 0;
    new Gauge({ name: 'test_renderings', help: 'collect() calls', registers: [metrics.registry], collect: () => void renderings++ });
    const texts = await Promise.all(Array.from({ length: 50 }, () => metrics.text()));
    for (let i = 0; i < 50; i++) await metrics.text();
    expect(renderings).toBe(1);
    expect(new Set(texts).size).toBe(1);
  });
});
