// The work behind `tailwatch suppress` and `tailwatch suppressions`.
import { userInfo } from 'node:os';
import { loadConfigOrDefault } from '../config/load.ts';
import { openDatabase } from '../state/database.ts';
import { dateOrTimeToMs, msToRfc3339 } from '../schemas/time.ts';
import { addAdHocSuppression, historyAlert, listAdHocSuppressions } from '../suppressions/suppression-store.ts';
import { durationMs } from './duration.ts';

export async function runSuppressCommand(args: { alertId: string; for: string; reason: string; by: string | undefined; config: string | undefined }): Promise<void> {
  const forMs = durationMs('--for', args.for);
  const config = await loadConfigOrDefault(args.config, { checkSecrets: false });
  const db = openDatabase(config.dataDir);
  try {
    const alert = historyAlert(db, args.alertId);
    const nowMs = Date.now();
    const stored = addAdHocSuppression(db, alert, { reason: args.reason, createdBy: args.by ?? userInfo().username, nowMs, expiresAtMs: nowMs + forMs });
    process.stdout.write(
      `adhoc-${stored.id}: ${stored.ruleId} matches with dedup ${JSON.stringify(stored.dedup)} in tailnet ${stored.tailnet} are suppressed ` +
        `for event times from ${msToRfc3339(stored.fromMs)} until ${msToRfc3339(stored.expiresAtMs)} (by ${stored.createdBy}: ${stored.reason})\n`,
    );
  } finally {
    db.close();
  }
}

interface Listed {
  id: string;
  kind: 'config' | 'adhoc';
  status: 'active' | 'expired';
  rules: string[];
  match: Record<string, unknown>;
  reason: string;
  owner: string;
  expires: string | null;
}

export async function runSuppressionsCommand(args: { format: 'text' | 'json'; config: string | undefined }): Promise<void> {
  const config = await loadConfigOrDefault(args.config, { checkSecrets: false });
  const nowMs = Date.now();
  const status = (untilMs: number): Listed['status'] => (untilMs > nowMs ? 'active' : 'expired');
  const listed: Listed[] = config.suppressions.map((entry) => ({
    id: entry.id,
    kind: 'config',
    status: status(entry.expires === undefined ? Infinity : (dateOrTimeToMs(entry.expires) as number)),
    rules: entry.rules,
    match: entry.match,
    reason: entry.reason,
    owner: entry.owner,
    expires: entry.expires ?? null,
  }));
  const db = openDatabase(config.dataDir);
  try {
    for (const stored of listAdHocSuppressions(db)) {
      listed.push({
        id: `adhoc-${stored.id}`,
        kind: 'adhoc',
        status: status(stored.expiresAtMs),
        rules: [stored.ruleId],
        match: { tailnet: stored.tailnet, dedup: stored.dedup, alertId: stored.alertId },
        reason: stored.reason,
        owner: stored.createdBy,
        expires: msToRfc3339(stored.expiresAtMs),
      });
    }
  } finally {
    db.close();
  }
  if (args.format === 'json') {
    for (const entry of listed) process.stdout.write(`${JSON.stringify(entry)}\n`);
    return;
  }
  if (listed.length === 0) process.stdout.write('no suppressions\n');
  for (const entry of listed) {
    process.stdout.write(
      `${entry.status.padEnd(8)} ${entry.kind.padEnd(7)} ${entry.id}  rules ${entry.rules.join(', ')}  match ${JSON.stringify(entry.match)}  ` +
        `until ${entry.expires ?? 'permanent'}  ${entry.owner}: ${entry.reason}\n`,
    );
  }
}
