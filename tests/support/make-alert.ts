// Hand-built alerts for delivery tests (the alerts stage makes real ones).
import type { Alert } from '../../engine/alerts/alert.ts';

export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    alertId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    revision: 1,
    type: 'RULE',
    ruleId: 'Tailscale.Magic.DNS.Disabled',
    tailnet: 'default',
    severity: 'HIGH',
    title: 'Tailscale user [alice@example.com] disabled Magic DNS for [example.com]',
    dedup: 'alice@example.com',
    eventCount: 3,
    firstEventTime: '2026-06-03T15:32:56.773Z',
    lastEventTime: '2026-06-03T15:40:01.002Z',
    windowStart: '2026-06-03T15:00:00.000Z',
    windowEnd: '2026-06-03T16:00:00.000Z',
    logTypes: ['Tailscale.Audit'],
    alertContext: { actor: 'alice@example.com', action: 'DISABLE', target: 'example.com', origin: 'ADMIN_UI' },
    runbook: 'Ask the actor why Magic DNS was turned off; re-enable it in the admin console.',
    reference: 'https://tailscale.com/kb/1081/magicdns',
    tags: ['Tailscale', 'Defense Evasion'],
    reports: { 'MITRE ATT&CK': ['TA0005:T1562'] },
    ...overrides,
  };
}

/** n distinct alerts (ids alert-000 …). */
export function makeAlerts(n: number, overrides: Partial<Alert> = {}): Alert[] {
  return Array.from({ length: n }, (_, i) => makeAlert({ alertId: `alert-${String(i).padStart(3, '0')}`, ...overrides }));
}
