// Severity levels and the relative changes a rule's dynamicSeverity() may return.

export const SEVERITIES = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A level, 'DEFAULT' (the rule's static severity), or a one-step change from it. */
export type SeverityResult = Severity | 'DEFAULT' | 'UPGRADE' | 'DOWNGRADE';

export function resolveSeverity(base: Severity, result: SeverityResult): Severity {
  if (result === 'DEFAULT') return base;
  if (result === 'UPGRADE' || result === 'DOWNGRADE') {
    const index = SEVERITIES.indexOf(base) + (result === 'UPGRADE' ? 1 : -1);
    return SEVERITIES[Math.min(Math.max(index, 0), SEVERITIES.length - 1)] ?? base;
  }
  return result;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
