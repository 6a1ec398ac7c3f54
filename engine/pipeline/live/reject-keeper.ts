// Where a cluster receiver's rejects go (it evaluates nothing): the local quarantine, the reject metrics and the
// reject log, as the single-process pipeline keeps its own.
import type { RejectedRecord } from '../../decode/types.ts';
import { transaction, type Database } from '../../state/database.ts';
import type { Logger } from '../../telemetry/logger.ts';
import type { Metrics } from '../../telemetry/metrics.ts';
import { RejectLog } from '../../telemetry/reject-log.ts';
import { Quarantine } from './quarantine.ts';

export function rejectKeeper(db: Database, metrics: Metrics, logger: Logger): (source: string, rejects: readonly RejectedRecord[], received: number) => void {
  const quarantine = new Quarantine(db);
  const rejectLog = new RejectLog(logger);
  return (source, rejects, received) => {
    metrics.recordsReceived(source, received);
    if (rejects.length === 0) return;
    const nowMs = Date.now();
    const evicted = transaction(db, () => {
      for (const reject of rejects) quarantine.add(reject, nowMs);
      return quarantine.trim();
    });
    if (evicted > 0) metrics.quarantineEvicted(evicted);
    for (const reject of rejects) {
      metrics.recordsRejected(source, reject.reason);
      rejectLog.record(source, reject.reason, reject.message);
    }
  };
}
