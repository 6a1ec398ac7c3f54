// The evaluator's batch handler: parse a batch, have the evaluation worker evaluate it, then commit in ONE
// transaction its records (journal), its rejects (quarantine), its source checkpoints, its signals and the
// deliveries of the alerts it created; only then acknowledge. When the watchdog stops a rule that overran its time
// budget, a new worker without it is brought back to the durable state (snapshot, then journal) and the batch is
// evaluated again: nothing is lost, nothing is sent twice (the ledger), and the rule stays off until its file changes.
import type { Alert } from '../../alerts/alert.ts';
import type { EvaluatorState } from '../../rules/evaluator.ts';
import type { RuleInfo } from '../../rules/rule-info.ts';
import type { AlertEvent } from '../../alerts/alert-events.ts';
import type { Signal } from '../../alerts/signal.ts';
import { rejected } from '../../decode/results.ts';
import type { RejectedRecord } from '../../decode/types.ts';
import { enqueue } from '../../destinations/outbox.ts';
import type { RulesConfig } from '../../config/rules-config.ts';
import type { SuppressionEntry } from '../../suppressions/suppression-entry.ts';
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
import type { BatchChanges, EvaluatedEvent } from '../../workers/evaluation-messages.ts';
import { RuleOverrunError } from '../../workers/evaluator-host.ts';
import type { EvaluatorHost } from '../../workers/evaluator-host.ts';
import { StoppedRules } from '../../workers/stopped-rules.ts';
import type { StoppedRule } from '../../workers/stopped-rules.ts';

export interface LivePipelineOptions {
  db: Database;
  checkpoints: CheckpointStore;
  /** Starts an evaluation worker with the current rules, those named not evaluated (the watchdog stopped them). */
  startEvaluator: (stopped: string[]) => Promise<EvaluatorHost>;
  /** Called when the watchdog stopped a rule (metrics, log). */
  onRuleStopped?: (stopped: StoppedRule) => void;
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
  #host: EvaluatorHost | undefined;
  readonly #stopped = new StoppedRules();
  /** handle, snapshot, reload and recovery run one at a time: a snapshot's state is exactly what its journal covers. */
  #serial: Promise<unknown> = Promise.resolve();
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
    this.#route = options.route;
    this.#now = options.now ?? Date.now;
    this.#journal = new Journal(options.db);
    this.#ledger = new AlertLedger(options.db);
    this.#alertEvents = new AlertEventStore(options.db);
    this.#quarantine = new Quarantine(options.db);
    this.#signals = new SignalStore(options.db);
    this.#rejectLog = options.logger === undefined ? undefined : new RejectLog(options.logger);
  }

  /** The rules the evaluation worker loaded, as data. */
  get rules(): readonly RuleInfo[] {
    return this.#running().rules;
  }

  /** Rules the watchdog stopped, in the order it stopped them. */
  get stoppedRules(): StoppedRule[] {
    return this.#stopped.list;
  }

  /** Bytes of record JSON journaled since the last snapshot (what a snapshot would free). */
  get journalBytes(): number {
    return this.#journalBytes;
  }

  /**
   * Starts the evaluation worker and brings it to the durable state: the last snapshot, then the journal written
   * after it, so state is exactly what it was before a crash; alerts created again are found in the ledger and not
   * sent twice. A rule that overruns on the way is stopped (no crash loop). Returns the journal entries replayed.
   */
  start(): Promise<number> {
    return this.#exclusive(async () => {
      this.#host = await this.#options.startEvaluator([]);
      const overruns: RuleOverrunError[] = [];
      const replayed = await this.#restoreDurable(overruns);
      const stopped = await this.#recordStopped(overruns);
      transaction(this.#db, () => {
        this.#recordSignals(stopped.signals);
        this.#enqueueNew(stopped.created, stopped.events);
      });
      return replayed;
    });
  }

  /** Stops the worker (state since the last snapshot is in the journal). */
  async close(): Promise<void> {
    await this.#host?.stop();
  }

  /** Swaps the rules (hot reload); a stopped rule whose file changed runs again. Throws (and changes nothing) when they do not load. */
  setRules(rules: RulesConfig): Promise<void> {
    return this.#exclusive(async () => {
      const host = this.#running();
      const kept = this.#stopped.unchanged();
      try {
        await host.setRules(rules, kept);
        this.#stopped.keepOnly(kept);
      } catch (error) {
        // A module whose top level overran took the worker with it: a new one, with the rules still in force.
        if (host.ended) await this.#restart();
        throw error;
      }
    });
  }

  setSuppressions(suppressions: SuppressionEntry[]): Promise<void> {
    return this.#exclusive(() => this.#running().setSuppressions(suppressions));
  }

  /** Polled inventory changes, known from the tailnet's current stream position (the worker holds the positions). */
  learnPolled(tailnet: string, changes: Parameters<EvaluatorHost['learnPolled']>[1]): Promise<number> {
    return this.#exclusive(() => this.#running().learnPolled(tailnet, changes));
  }

  /** Writes the evaluator's state and drops the journal it covers. */
  snapshot(): Promise<void> {
    return this.#exclusive(async () => {
      if (this.#host === undefined) return;
      const state = await this.#running().exportState();
      this.#saveSnapshot(state);
    });
  }

  #saveSnapshot(state: EvaluatorState): void {
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
      saveSnapshot(this.#db, { journalId, state, takenAtMs: this.#now() });
    });
    this.#journalBytes = 0;
    // Copies the WAL into the file without waiting for readers, so the WAL can start over (journal_size_limit caps it).
    this.#db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  }

  /** The BatchHandler sources call; resolves once everything the batch produced is committed. */
  readonly handle = (batch: Batch): Promise<BatchOutcome> => this.#exclusive(() => this.#handle(batch));

  async #handle(batch: Batch): Promise<BatchOutcome> {
    const { metrics } = this.#options;
    const context = this.#parseContext(batch.source, batch.receivedAtMs);
    const values: unknown[] = [];
    const rejects: RejectedRecord[] = [];
    const events: EvaluatedEvent[] = [];
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
      events.push({ event: parsed.event, eventTimeMs: parsed.eventTimeMs });
      if (parsed.event.p_log_type === 'Tailscale.Network') this.#traffic.add(parsed.event, parsed.eventTimeMs);
      if (metrics !== undefined) countEvent(metrics, parsed.event);
    }
    const { created, signals, counts, events: alertEvents, matched } = events.length === 0 ? noBatchChanges() : await this.#evaluate(events);
    if (metrics !== undefined) countMatches(metrics, counts);
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
        return this.#enqueueNew(created, alertEvents);
      });
    } catch (error) {
      // The evaluator already counted this batch; put it back to the durable state before the source retries.
      this.#options.logger?.error('commit failed; restoring state from the last snapshot', { error: String(error) });
      this.#traffic.discard();
      await this.#running().reset();
      const overruns: RuleOverrunError[] = [];
      await this.#restoreDurable(overruns);
      const stopped = await this.#recordStopped(overruns);
      transaction(this.#db, () => this.#enqueueNew(stopped.created, stopped.events));
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
  }

  /** The batch evaluated; a rule that overruns is stopped, the worker restarted without it, and the batch evaluated again. */
  async #evaluate(events: EvaluatedEvent[]): Promise<BatchChanges> {
    let stopped = noBatchChanges();
    for (;;) {
      try {
        return mergeChanges(stopped, await this.#running().process(events));
      } catch (error) {
        if (!(error instanceof RuleOverrunError)) throw error;
        const overruns = [error];
        this.#stop(error);
        await this.#restart(overruns);
        stopped = mergeChanges(stopped, await this.#recordStopped(overruns));
      }
    }
  }

  /** A new worker (without the stopped rules) brought back to the durable state; overruns on the way are collected. */
  async #restart(overruns: RuleOverrunError[] = []): Promise<void> {
    await this.#host?.stop();
    this.#host = await this.#options.startEvaluator(this.#stopped.ids);
    await this.#restoreDurable(overruns);
  }

  /** The last snapshot, then the journal after it, into a fresh worker; a rule that overruns is stopped and it starts over. */
  async #restoreDurable(overruns: RuleOverrunError[]): Promise<number> {
    for (;;) {
      try {
        return await this.#replayJournal();
      } catch (error) {
        if (!(error instanceof RuleOverrunError)) throw error;
        overruns.push(error);
        this.#stop(error);
        await this.#host?.stop();
        this.#host = await this.#options.startEvaluator(this.#stopped.ids);
      }
    }
  }

  async #replayJournal(): Promise<number> {
    const host = this.#running();
    const snapshot = loadSnapshot(this.#db);
    if (snapshot !== undefined) await host.restoreState(snapshot.state);
    this.#journalBytes = this.#journal.bytesAfter(snapshot?.journalId ?? 0);
    let replayed = 0;
    for (const entry of this.#journal.after(snapshot?.journalId ?? 0)) {
      const events: EvaluatedEvent[] = [];
      for (const value of entry.values) {
        const parsed = parseRecord(value, this.#parseContext(entry.source, entry.receivedAtMs));
        if (parsed.ok) events.push({ event: parsed.event, eventTimeMs: parsed.eventTimeMs });
      }
      const changes = await host.process(events);
      transaction(this.#db, () => {
        this.#recordSignals(changes.signals);
        // Matches per day are not counted again: the batch's own transaction counted them.
        this.#enqueueNew(changes.created, changes.events);
      });
      replayed += 1;
    }
    return replayed;
  }

  /** Each stopped rule's RULE_ERROR alert, made by the new worker at the event it overran on. */
  async #recordStopped(overruns: readonly RuleOverrunError[]): Promise<BatchChanges> {
    let changes = noBatchChanges();
    for (const overrun of overruns) {
      if (overrun.event !== undefined) changes = mergeChanges(changes, await this.#running().recordStopped(overrun.ruleId, overrun.budgetMs, overrun.event));
    }
    return changes;
  }

  #stop(overrun: RuleOverrunError): void {
    const stopped = this.#stopped.add(overrun.ruleId, overrun.budgetMs, this.#host?.rules.find((rule) => rule.id === overrun.ruleId)?.file);
    this.#options.logger?.error('rule stopped: a call ran longer than its time budget; it stays off until its file changes or tailwatch restarts', {
      rule: overrun.ruleId,
      budgetMs: overrun.budgetMs,
    });
    this.#options.onRuleStopped?.(stopped);
  }

  #running(): EvaluatorHost {
    if (this.#host === undefined) throw new Error('the live pipeline has not been started');
    return this.#host;
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#serial.then(work);
    this.#serial = run.catch(() => undefined);
    return run;
  }

  /** The same context for a batch and for its journal replay in start(), so both give the same events. */
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

function countMatches(metrics: Metrics, counts: BatchChanges['counts']): void {
  for (const [ruleId, n] of Object.entries(counts.matches)) metrics.ruleMatch(ruleId, n);
  for (const [ruleId, n] of Object.entries(counts.errors)) metrics.ruleError(ruleId, n);
  for (const [ruleId, n] of Object.entries(counts.late)) metrics.lateMatch(ruleId, n);
  for (const [id, n] of Object.entries(counts.suppressed)) metrics.suppressedMatch(id, n);
  for (const [source, n] of Object.entries(counts.lateEvents)) metrics.lateEvent(source, n);
}

function noBatchChanges(): BatchChanges {
  return { created: [], signals: [], events: [], matched: [], counts: { matches: {}, errors: {}, late: {}, suppressed: {}, lateEvents: {} } };
}

function mergeChanges(a: BatchChanges, b: BatchChanges): BatchChanges {
  const counts = { ...a.counts };
  for (const key of Object.keys(counts) as (keyof BatchChanges['counts'])[]) {
    const merged = { ...a.counts[key] };
    for (const [name, n] of Object.entries(b.counts[key])) merged[name] = (merged[name] ?? 0) + n;
    counts[key] = merged;
  }
  return { created: [...a.created, ...b.created], signals: [...a.signals, ...b.signals], events: [...a.events, ...b.events], matched: [...a.matched, ...b.matched], counts };
}

export function countEvent(metrics: Metrics, event: TailscaleEvent): void {
  metrics.events(event.p_log_type, event.p_tailnet);
  metrics.eventSeen(Date.parse(event.p_event_time));
}
