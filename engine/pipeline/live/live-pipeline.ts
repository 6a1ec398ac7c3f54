// The evaluator's batch handler: parse and evaluate a batch, then commit in ONE transaction its records (journal),
// its rejects (quarantine), its source checkpoints, its signals and the deliveries of the alerts it created; only
// then acknowledge.
import type { Alert } from '../../alerts/alert.ts';
import type { AlertEvent } from '../../alerts/alert-events.ts';
import type { RuleMatchTime } from '../../alerts/alert-match.ts';
import type { Signal } from '../../alerts/signal.ts';
import { rejected } from '../../decode/results.ts';
import type { RejectedRecord } from '../../decode/types.ts';
import { enqueue } from '../../destinations/outbox.ts';
import type { Evaluator } from '../../rules/evaluator.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../../schemas/parse.ts';
import type { ParseContext, ParseSettings } from '../../schemas/parse.ts';
import type { TailscaleEvent } from '../../schemas/log-types.ts';
import type { CheckpointStore } from '../../sources/checkpoints.ts';
import type { Batch, BatchOutcome } from '../../sources/types.ts';
import { transaction } from '../../state/database.ts';
import type { Database } from '../../state/database.ts';
import type { Logger } from '../../telemetry/logger.ts';
import type { Metrics } from '../../telemetry/metrics.ts';
import { RejectLog } from '../../telemetry/reject-log.ts';
import { AlertEventStore } from './alert-event-store.ts';
import { AlertLedger } from './alert-ledger.ts';
import { countRuleMatches, pruneRuleMatches } from '../../console/rule-match-counts.ts';
import { TrafficRollup } from '../../console/traffic-rollup.ts';
import { pruneTriage, withTriage } from '../../console/triage.ts';
import { Journal } from './journal.ts';
import { Quarantine } from './quarantine.ts';
import { DEFAULT_SIGNAL_RETENTION_DAYS, SignalStore } from './signal-store.ts';
import { loadSnapshot, saveSnapshot } from './snapshot.ts';

export interface LivePipelineOptions {
  db: Database;
  checkpoints: CheckpointStore;
  /** Builds the evaluator, from a snapshot's state when there is one. */
  evaluator: Evaluator;
  /** Destination names for an alert (routing, or the rule's own choice). */
  route: (alert: Alert) => readonly string[];
  /** Called after a commit that enqueued deliveries (wakes the deliverer). */
  onEnqueued?: () => void;
  /** Tailnet and time bounds for parsing, read per batch so a config reload applies (default: DEFAULT_PARSE_SETTINGS). */
  parseSettings?: () => ParseSettings;
  metrics?: Metrics;
  logger?: Logger;
  now?: () => number;
  /** The tailnet of a source's records (by source name; default: the parse settings' tailnet). */
  tailnetOf?: (source: string) => string;
  /** How long alert revisions stay in the history (config `history.retentionDays`). */
  historyRetentionDays?: number;
  /** How long signals stay (config `signals.retentionDays`). */
  signalRetentionDays?: number;
}


/** Past any journal replay's reach (7 days), so the history also keeps what was sent from being sent again. */
const DEFAULT_HISTORY_RETENTION_DAYS = 90;

export class LivePipeline {
  readonly #db: Database;
  readonly #checkpoints: CheckpointStore;
  readonly #evaluator: Evaluator;
  readonly #route: (alert: Alert) => readonly string[];
  readonly #journal: Journal;
  readonly #ledger: AlertLedger;
  readonly #alertEvents: AlertEventStore;
  readonly #quarantine: Quarantine;
  readonly #traffic = new TrafficRollup();
  readonly #signals: SignalStore;
  readonly #options: LivePipelineOptions;
  readonly #now: () => number;
  #journalBytes = 0;
  readonly #rejectLog: RejectLog | undefined;

  constructor(options: LivePipelineOptions) {
    this.#options = options;
    this.#db = options.db;
    this.#checkpoints = options.checkpoints;
    this.#evaluator = options.evaluator;
    this.#route = options.route;
    this.#now = options.now ?? Date.now;
    this.#journal = new Journal(options.db);
    this.#ledger = new AlertLedger(options.db);
    this.#alertEvents = new AlertEventStore(options.db);
    this.#quarantine = new Quarantine(options.db);
    this.#signals = new SignalStore(options.db);
    this.#rejectLog = options.logger === undefined ? undefined : new RejectLog(options.logger);
  }

  get evaluator(): Evaluator {
    return this.#evaluator;
  }

  /** Bytes of record JSON journaled since the last snapshot (what a snapshot would free). */
  get journalBytes(): number {
    return this.#journalBytes;
  }

  /**
   * Restores the last snapshot and evaluates the journal written after it, so state is exactly what it was before a
   * crash; alerts created again are found in the ledger and not sent twice. Returns the journal entries replayed.
   */
  recover(): number {
    const snapshot = loadSnapshot(this.#db);
    if (snapshot !== undefined) this.#evaluator.restoreState(snapshot.state);
    this.#journalBytes = this.#journal.bytesAfter(snapshot?.journalId ?? 0);
    let replayed = 0;
    for (const entry of this.#journal.after(snapshot?.journalId ?? 0)) {
      const created: Alert[] = [];
      const signals: Signal[] = [];
      const events: AlertEvent[] = [];
      for (const value of entry.values) {
        const parsed = parseRecord(value, this.#parseContext(entry.source, entry.receivedAtMs));
        if (!parsed.ok) continue;
        const changes = this.#evaluator.process(parsed.event, parsed.eventTimeMs);
        created.push(...changes.created, ...changes.revised);
        signals.push(...changes.signals);
        events.push(...changes.events);
      }
      // Matches per day are not counted again: the batch's own transaction counted them.
      transaction(this.#db, () => {
        this.#recordSignals(signals);
        this.#enqueueNew(created, events);
      });
      replayed += 1;
    }
    return replayed;
  }

  /** Writes the evaluator's state and drops the journal it covers. */
  snapshot(): void {
    transaction(this.#db, () => {
      const journalId = this.#journal.lastId();
      // Deletes first: on a full database, the pages they free are what the new state row is written into.
      this.#journal.truncate(journalId);
      const historyCutoff = this.#now() - (this.#options.historyRetentionDays ?? DEFAULT_HISTORY_RETENTION_DAYS) * 86_400_000;
      this.#ledger.prune(historyCutoff);
      this.#alertEvents.prune(historyCutoff);
      pruneRuleMatches(this.#db, historyCutoff);
      pruneTriage(this.#db);
      this.#signals.prune(this.#now() - (this.#options.signalRetentionDays ?? DEFAULT_SIGNAL_RETENTION_DAYS) * 86_400_000);
      this.#quarantine.trim();
      saveSnapshot(this.#db, { journalId, state: this.#evaluator.exportState(), takenAtMs: this.#now() });
    });
    this.#journalBytes = 0;
    // Copies the WAL into the file without waiting for readers, so the WAL can start over (journal_size_limit caps it).
    this.#db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  }

  /** The BatchHandler sources call; resolves once everything the batch produced is committed. */
  readonly handle = async (batch: Batch): Promise<BatchOutcome> => {
    const { metrics } = this.#options;
    const context = this.#parseContext(batch.source, batch.receivedAtMs);
    const values: unknown[] = [];
    const rejects: RejectedRecord[] = [];
    const created: Alert[] = [];
    const signals: Signal[] = [];
    const events: AlertEvent[] = [];
    const matched: RuleMatchTime[] = [];
    for (const record of batch.records) {
      if (!record.ok) {
        rejects.push(record);
        continue;
      }
      const parsed = parseRecord(record.value, context);
      if (!parsed.ok) {
        rejects.push(rejected(parsed.reason, parsed.message, record.position, JSON.stringify(record.value).slice(0, 1024)));
        continue;
      }
      values.push(record.value);
      const changes = this.#evaluator.process(parsed.event, parsed.eventTimeMs);
      if (parsed.event.p_log_type === 'Tailscale.Network') this.#traffic.add(parsed.event, parsed.eventTimeMs);
      if (changes.created.length > 0) created.push(...changes.created);
      if (changes.revised.length > 0) created.push(...changes.revised);
      if (changes.signals.length > 0) signals.push(...changes.signals);
      if (changes.events.length > 0) events.push(...changes.events);
      if (changes.matched.length > 0) matched.push(...changes.matched);
      if (metrics !== undefined) countEvent(metrics, parsed.event);
    }
    const nowMs = this.#now();
    let enqueued: number;
    let journaled = 0;
    let evicted = 0;
    try {
      enqueued = transaction(this.#db, () => {
        if (values.length > 0) journaled = this.#journal.append(batch.source, values, batch.receivedAtMs);
        for (const reject of rejects) this.#quarantine.add(reject, nowMs);
        if (rejects.length > 0) evicted = this.#quarantine.trim();
        this.#checkpoints.apply(batch.source, batch.checkpoints);
        this.#traffic.flush(this.#db);
        this.#recordSignals(signals);
        countRuleMatches(this.#db, matched);
        return this.#enqueueNew(created, events);
      });
    } catch (error) {
      // The evaluator already counted this batch; put it back to the durable state before the source retries.
      this.#options.logger?.error('commit failed; restoring state from the last snapshot', { error: String(error) });
      this.#traffic.discard();
      this.#evaluator.reset();
      this.recover();
      throw error;
    }
    this.#journalBytes += journaled;
    if (metrics !== undefined) {
      metrics.recordsReceived(batch.source, batch.records.length);
      for (const reject of rejects) metrics.recordsRejected(batch.source, reject.reason);
      if (evicted > 0) metrics.quarantineEvicted(evicted);
      for (const signal of signals) metrics.signal(signal.ruleId);
      const seconds = (this.#now() - batch.receivedAtMs) / 1000;
      for (const alert of created) {
        if (alert.revision !== 1 || alert.suppressed !== undefined) continue;
        metrics.alert(alert.ruleId, alert.severity, alert.tailnet);
        metrics.ingestToAlertSeconds(seconds);
      }
    }
    for (const reject of rejects) this.#rejectLog?.record(batch.source, reject.reason, reject.message);
    if (enqueued > 0) this.#options.onEnqueued?.();
    return { accepted: values.length, rejected: rejects.length };
  };

  /** The same context for a batch and for its journal replay in recover(), so both give the same events. */
  #parseContext(source: string, receivedAtMs: number): ParseContext {
    const settings = this.#options.parseSettings?.() ?? DEFAULT_PARSE_SETTINGS;
    const tailnet = this.#options.tailnetOf?.(source) ?? settings.tailnet;
    return { ...settings, tailnet, sourceId: source, sourceLabel: source, receivedAtMs };
  }

  #recordSignals(signals: readonly Signal[]): void {
    const nowMs = this.#now();
    for (const signal of signals) this.#signals.add(signal, nowMs);
  }

  /** Stores the new revisions, and the events of the alerts' matches, and enqueues the revisions' deliveries. */
  #enqueueNew(alerts: readonly Alert[], events: readonly AlertEvent[]): number {
    let rows = 0;
    const nowMs = this.#now();
    this.#alertEvents.add(events, nowMs);
    // A suppressed alert is kept in the history (the ledger) and delivered nowhere; a later revision of a triaged
    // alert tells its receivers the triage (webhook payload `triage`).
    for (const alert of alerts) {
      if (this.#ledger.add(alert, nowMs) && alert.suppressed === undefined) rows += enqueue(this.#db, withTriage(this.#db, alert), this.#route(alert), nowMs);
    }
    return rows;
  }
}

export function countEvent(metrics: Metrics, event: TailscaleEvent): void {
  metrics.events(event.p_log_type, event.p_tailnet);
  metrics.eventSeen(Date.parse(event.p_event_time));
}
