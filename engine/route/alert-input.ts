// Reads alerts a user hands in (one JSON object, a JSON array, or NDJSON as `replay --format json` prints).
import { z } from 'zod';
import type { Alert } from '../alerts/alert.ts';
import { LOG_TYPES } from '../schemas/log-types.ts';
import { SEVERITIES } from '../rules/base/severity.ts';

// Only what routing needs is required; the rest gets neutral defaults so a hand-written alert explains too.
export const AlertInput = z.looseObject({
  alertId: z.string().default('explain'),
  type: z.enum(['RULE', 'RULE_ERROR']).default('RULE'),
  ruleId: z.string().min(1),
  severity: z.enum(SEVERITIES),
  title: z.string().optional(),
  dedup: z.string().default(''),
  eventCount: z.number().int().nonnegative().default(1),
  firstEventTime: z.string().default(''),
  lastEventTime: z.string().default(''),
  logTypes: z.array(z.enum(LOG_TYPES)).default([]),
  alertContext: z.record(z.string(), z.unknown()).default({}),
  tags: z.array(z.string()).default([]),
  reports: z.record(z.string(), z.array(z.string())).default({}),
  destinations: z.array(z.string()).optional(),
});
export type AlertInput = z.infer<typeof AlertInput>;

export type ReadAlertResult = { ok: true; alert: Alert } | { ok: false; message: string };

/** Every alert in the text; a bad one is reported alone (with its line) and the others are kept. */
export function readAlerts(text: string, source: string): ReadAlertResult[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return parseWhole(trimmed, source);
  const results: ReadAlertResult[] = [];
  const lines = trimmed.split('\n');
  // A single pretty-printed object spans lines: try the whole text first.
  if (lines.length > 1 && trimmed.startsWith('{') && !lines[0]?.trim().endsWith('}')) return parseWhole(trimmed, source);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    results.push(...parseWhole(line, `${source}:${i + 1}`));
  });
  return results;
}

function parseWhole(text: string, where: string): ReadAlertResult[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return [{ ok: false, message: `${where}: invalid JSON (${(error as Error).message})` }];
  }
  const values = Array.isArray(value) ? value : [value];
  return values.map((item, i) => toAlert(item, Array.isArray(value) ? `${where}[${i}]` : where));
}

function toAlert(value: unknown, where: string): ReadAlertResult {
  const result = AlertInput.safeParse(value);
  if (!result.success) return { ok: false, message: `${where}: not an alert:\n${z.prettifyError(result.error)}` };
  const { title, ...rest } = result.data;
  return { ok: true, alert: { ...rest, title: title ?? rest.ruleId } as Alert };
}
