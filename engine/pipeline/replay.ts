// Backtest: inputs → decode → parse → evaluate, exactly as live evaluation does, with every reject kept.
import type { Alert } from '../alerts/alert.ts';
import type { Signal } from '../alerts/signal.ts';
import { decodeStreamEach } from '../decode/index.ts';
import type { DecodeLimits, DecodeResult, RejectedRecord } from '../decode/types.ts';
import { RAW_MAX_BYTES, rejected } from '../decode/results.ts';
import { InputError } from '../errors.ts';
import type { InventoryTracker } from '../inventory/tracker.ts';
import type { TailscaleEvent } from '../schemas/log-types.ts';
import { Evaluator } from '../rules/evaluator.ts';
import type { LoadedRule } from '../rules/load-rules.ts';
import { classifyValue, DEFAULT_PARSE_SETTINGS, parseRecord } from '../schemas/parse.ts';
import type { ParseSettings } from '../schemas/parse.ts';
import type { Suppression } from '../suppressions/suppression.ts';
import type { ReplayInput } from './read-inputs.ts';
import { alertOrderKey, inKeyOrder, signalOrderKey } from './replay-order.ts';
import { emptyStats, increment } from './replay-stats.ts';
import type { ReplayStats } from './replay-stats.ts';

export interface ReplayOptions {
  inputs: readonly ReplayInput[];
  rules: readonly LoadedRule[];
  /**
   * The log types validated and evaluated (default: those the enabled rules read). `replay --workers` gives one
   * worker the types of every loaded rule, so that it reports every reject, and the others only their own rules' types.
   */
  consumedLogTypes?: readonly string[];
  /**
   * Rules the watchdog stopped in an earlier attempt (engine/workers): not evaluated, but their log types are still
   * validated, so the attempt without them reports the same rejects.
   */
  stopped?: readonly string[];
  /** The one allowed-lateness bound (default 10 minutes). */
  allowedLatenessMinutes?: number;
  /** Only events with fromMs <= event time < toMs are evaluated. */
  fromMs?: number;
  toMs?: number;
  /** Events with learnFromMs <= event time < fromMs prime the first-seen rules and alert on nothing. */
  learnFromMs?: number;
  limits?: Partial<DecodeLimits>;
  /** Tailnet and time bounds for parsing (default: DEFAULT_PARSE_SETTINGS). No receive time: replay has none. */
  parse?: ParseSettings;
  /** Config and ad hoc suppressions: suppressed alerts are counted, never passed to onAlert. */
  suppressions?: readonly Suppression[];
  /** The tailnet of an input's events by its source name (undefined: the parse settings' tailnet). */
  tailnetOf?: (source: string) => string | undefined;
  /** Recorded inventory the rules read (webhook and audit events in the inputs update it, as live). */
  inventory?: InventoryTracker;
  /**
   * Alerts in their final form, in the order their windows close (those one record closes in replay-order.ts's order).
   * `at`: the number of the record (from 1, over all inputs) whose evaluation closed it; the flush is one past the last.
   */
  onAlert: (alert: Alert, at: number) => void;
  /** Signals (matches of signal rules), as they are recorded (one record's in replay-order.ts's order). */
  onSignal?: (signal: Signal, at: number) => void;
  /** Each event late for at least one rule: its record's number and source. */
  onLateEvent?: (at: number, source: string) => void;
  onReject?: (reject: RejectedRecord) => void;
  /**
   * Called as input bytes are consumed (compressed bytes for compressed inputs), with the records read before them:
   * every later alert or signal comes at a record past `recordsRead`.
   */
  onProgress?: (bytesRead: number, recordsRead: number) => void;
  /** An input that cannot be opened or fails mid-way; the replay goes on with the next one. */
  onInputError?: (error: InputError) => void;
}

export async function runReplay(options: ReplayOptions): Promise<ReplayStats> {
  const stats = emptyStats();
  const stopped = new Set(options.stopped);
  const rules = options.rules.map((loaded) => (stopped.has(loaded.rule.id) ? { ...loaded, rule: { ...loaded.rule, enabled: false } } : loaded));
  const { onLateEvent } = options;
  const evaluator = new Evaluator(rules, {
    ...(options.allowedLatenessMinutes === undefined ? {} : { allowedLatenessMinutes: options.allowedLatenessMinutes }),
    ...(options.inventory === undefined ? {} : { inventory: options.inventory }),
    ...(onLateEvent === undefined ? {} : { onLateEvent: (event: TailscaleEvent) => onLateEvent(stats.recordsRead, event.p_source_id) }),
  });
  evaluator.setSuppressions(options.suppressions ?? []);
  const emit = (closed: readonly Alert[], at: number) => {
    // One record's alerts in a canonical order, so that rules evaluated apart (replay --workers) merge to the same output.
    const alerts = inKeyOrder(closed, alertOrderKey);
    for (const alert of alerts) {
      if (alert.suppressed !== undefined) {
        stats.suppressedAlerts += 1;
        continue;
      }
      stats.alerts += 1;
      increment(stats.alertsByType, alert.type);
      if (alert.late) stats.lateAlerts += 1;
      options.onAlert(alert, at);
    }
  };
  const signal = (recorded: readonly Signal[], at: number) => {
    const signals = inKeyOrder(recorded, signalOrderKey);
    for (const one of signals) {
      increment(stats.signalsByRule, one.ruleId);
      options.onSignal?.(one, at);
    }
  };
  const reject = (rejected: RejectedRecord) => {
    increment(stats.rejectedByReason, rejected.reason);
    options.onReject?.(rejected);
  };
  // A log type no enabled rule reads is classified and counted only: no validation, no rejects (README, replay).
  const consumed = new Set(options.consumedLogTypes ?? options.rules.flatMap((loaded) => (loaded.rule.enabled === false ? [] : loaded.rule.logTypes)));
  const fromMs = options.fromMs ?? -Infinity;
  const toMs = options.toMs ?? Infinity;
  const learnFromMs = options.learnFromMs ?? Infinity;

  for (const input of options.inputs) {
    const settings = options.parse ?? DEFAULT_PARSE_SETTINGS;
    const tailnet = options.tailnetOf?.(input.source) ?? settings.tailnet;
    const context = { ...settings, tailnet, sourceId: input.source, sourceLabel: input.source };
    const handle = (record: DecodeResult): void => {
      stats.recordsRead += 1;
      if (!record.ok) {
        reject(record);
        return;
      }
      const logType = classifyValue(record.value);
      if (logType !== undefined && !consumed.has(logType)) {
        increment(stats.unreadByLogType, logType);
        return;
      }
      const parsed = parseRecord(record.value, context);
      if (!parsed.ok) {
        reject(rejected(parsed.reason, parsed.message, record.position, rawText(record.value)));
        return;
      }
      const { event, eventTimeMs } = parsed;
      if (eventTimeMs < fromMs && eventTimeMs >= learnFromMs) {
        stats.eventsLearned += 1;
        evaluator.learn(event, eventTimeMs);
        return;
      }
      if (eventTimeMs < fromMs || eventTimeMs >= toMs) {
        stats.eventsOutsideRange += 1;
        return;
      }
      increment(stats.eventsByLogType, event.p_log_type);
      const changes = evaluator.process(event, eventTimeMs);
      if (changes.signals.length > 0) signal(changes.signals, stats.recordsRead);
      emit(changes.closed, stats.recordsRead);
    };
    try {
      await decodeStreamEach(counted(input, stats, options.onProgress), input.source, handle, options.limits);
    } catch (error) {
      const failure = error instanceof InputError ? error : new InputError(`${input.source}: ${(error as Error).message}`, { cause: error });
      stats.filesFailed.push(input.source);
      options.onInputError?.(failure);
    }
  }
  emit(evaluator.flush().closed, stats.recordsRead + 1);
  const evaluated = evaluator.stats();
  stats.lateMatchesByRule = evaluated.lateMatches;
  stats.lateEventsBySource = evaluated.lateEventsBySource;
  stats.suppressedMatches = evaluated.suppressed;
  for (const [ruleId, counts] of Object.entries(evaluated.aggregates)) if (counts.lateEvents > 0) stats.lateContributionsByRule[ruleId] = counts.lateEvents;
  for (const [ruleId, counts] of Object.entries(evaluated.correlations)) if (counts.lateHits > 0) stats.lateContributionsByRule[ruleId] = counts.lateHits;
  return stats;
}

async function* counted(input: ReplayInput, stats: ReplayStats, onProgress: ReplayOptions['onProgress']): AsyncGenerator<Uint8Array> {
  for await (const chunk of input.open() as AsyncIterable<Uint8Array>) {
    stats.bytesRead += chunk.length;
    onProgress?.(stats.bytesRead, stats.recordsRead);
    yield chunk;
  }
}

function rawText(value: unknown): string {
  return JSON.stringify(value).slice(0, RAW_MAX_BYTES);
}
