// What the main thread knows of a loaded rule without importing its module: the metadata and options a worker
// thread read (the console's rules page, route warnings, metrics).
import type { LoadedRule } from './load-rules.ts';

export interface RuleInfo {
  id: string;
  file: string;
  displayName: string | undefined;
  severity: string;
  enabled: boolean;
  logTypes: readonly string[];
  tags: readonly string[];
  reports: Record<string, string[]>;
  options: Record<string, unknown>;
}

export function ruleInfo({ rule, options, file }: LoadedRule): RuleInfo {
  return {
    id: rule.id,
    file,
    displayName: rule.displayName,
    severity: rule.severity,
    enabled: rule.enabled !== false,
    logTypes: [...rule.logTypes],
    tags: [...(rule.tags ?? [])],
    reports: { ...rule.reports },
    options: structuredClone(options),
  };
}
