// Prometheus metrics on a private registry; typed methods with cached label children keep the hot path cheap.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Caches prom-client label children: Map lookups per call instead of a label hash. */
class Children<Child> {
  private readonly byFirst = new Map<string, Map<string, Map<string, Child>>>();
  private readonly make: (labels: string[]) => Child;

  constructor(make: (labels: string[]) => Child) {
    this.make = make;
  }

  get(first: string, second = '', third = ''): Child {
    let middle = this.byFirst.get(first);
    if (middle === undefined) {
      middle = new Map();
      this.byFirst.set(first, middle);
    }
    let inner = middle.get(second);
    if (inner === undefined) {
      inner = new Map();
      middle.set(second, inner);
    }
    let child = inner.get(third);
    if (child === undefined) {
      child = this.make([first, second, third].filter((label) => label !== ''));
      inner.set(third, child);
    }
    return child;
  }
}

/** How long one rendering of /metrics is served again (Prometheus scrapes every 15 s or more). */
const EXPOSITION_CACHE_MS = 1_000;

export interface SourceLagSample {
  source: string;
  stream: string;
  seconds: number;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event loop lag); on by default. */
  processMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly recordsReceivedBy: Children<Counter.Internal>;
  private readonly recordsRejectedBy: Children<Counter.Internal>;
  private readonly eventsBy: Children<Counter.Internal>;
  private readonly ruleMatchesBy: Children<Counter.Internal>;
  private readonly signalsBy: Children<Counter.Internal>;
  private readonly ruleErrorsBy: Children<Counter.Internal>;
  private readonly ruleTimeoutsBy: Children<Counter.Internal>;
  private readonly lateMatchesBy: Children<Counter.Internal>;
  private readonly suppressedMatchesBy: Children<Counter.Internal>;
  private readonly lateEventsBy: Children<Counter.Internal>;
  private readonly alertsBy: Children<Counter.Internal>;
  private readonly deliveriesBy: Children<Counter.Internal>;
  private readonly httpRequestsBy: Children<Counter.Internal>;
  private readonly backgroundFailuresBy: Children<Counter.Internal>;
  private readonly outboxPending: Gauge;
  private readonly rulesLoadedGauge: Gauge;
  private readonly configReloadFailures: Counter;
  private readonly quarantineEvictions: Counter;
  private readonly ingestToAlert: Histogram;
  /** The last exposition and when it was rendered: a scrape flood renders once a second, not per request. */
  private exposition: { atMs: number; text: Promise<string> } | undefined;
  /** Latest event time seen (ms); the lag gauge is computed from it at scrape time. */
  private latestEventTimeMs = Number.NEGATIVE_INFINITY;
  /** The polling sources' lags, read at scrape time. */
  private sourceLags: () => Iterable<SourceLagSample> = () => [];

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    const counter = (name: string, help: string, labelNames: string[]) =>
      new Counter({ name, help, labelNames, registers });
    const children = (metric: Counter) => new Children((labels) => metric.labels(...labels));

    this.recordsReceivedBy = children(counter('tailwatch_records_received_total', 'Records decoded or rejected, by source.', ['source']));
    this.recordsRejectedBy = children(counter('tailwatch_records_rejected_total', 'Records rejected, by source and reason.', ['source', 'reason']));
    this.eventsBy = children(counter('tailwatch_events_total', 'Events parsed, by log type and tailnet.', ['log_type', 'tailnet']));
    this.ruleMatchesBy = children(counter('tailwatch_rule_matches_total', 'Rule matches, by rule.', ['rule_id']));
    this.signalsBy = children(counter('tailwatch_signals_total', 'Signals recorded (matches of signal rules, which raise no alert), by rule.', ['rule_id']));
    this.ruleErrorsBy = children(counter('tailwatch_rule_errors_total', 'Rule functions that threw, by rule.', ['rule_id']));
    this.ruleTimeoutsBy = children(counter('tailwatch_rule_timeouts_total', 'Rules stopped for a call longer than rules.timeBudgetMs (then disabled until their file changes), by rule.', ['rule_id']));
    this.lateMatchesBy = children(counter('tailwatch_late_matches_total', 'Matches that arrived after their window had closed (late alerts), by rule.', ['rule_id']));
    this.suppressedMatchesBy = children(counter('tailwatch_suppressed_matches_total', 'Matches silenced by a suppression (kept in the history, delivered nowhere), by suppression.', ['suppression']));
    this.lateEventsBy = children(counter('tailwatch_late_events_total', 'Events later than the allowed lateness for at least one rule, by source.', ['source']));
    this.alertsBy = children(counter('tailwatch_alerts_total', 'Alerts created, by rule, severity and tailnet.', ['rule_id', 'severity', 'tailnet']));
    this.deliveriesBy = children(counter('tailwatch_deliveries_total', 'Delivery attempts, by destination and outcome.', ['destination', 'outcome']));
    this.httpRequestsBy = children(counter('tailwatch_http_requests_total', 'HTTP requests answered, by route and status code.', ['route', 'code']));
    this.backgroundFailuresBy = children(counter('tailwatch_background_task_failures_total', 'Timer and background task runs that failed, by task.', ['task']));
    this.configReloadFailures = counter('tailwatch_config_reload_failures_total', 'Config or rule reloads that failed.', []);
    this.quarantineEvictions = counter('tailwatch_quarantine_evicted_total', 'Quarantined rejects dropped, oldest first, to keep the quarantine bounded.', []);
    this.outboxPending = new Gauge({ name: 'tailwatch_outbox_pending', help: 'Alert deliveries waiting in the outbox.', registers });
    this.rulesLoadedGauge = new Gauge({ name: 'tailwatch_rules_loaded', help: 'Rules currently loaded.', registers });
    const latestEventTimeMs = () => this.latestEventTimeMs;
    new Gauge({
      name: 'tailwatch_event_lag_seconds',
      help: 'Now minus the event time of the latest event seen.',
      registers,
      collect() {
        const latest = latestEventTimeMs();
        if (latest !== Number.NEGATIVE_INFINITY) this.set((Date.now() - latest) / 1000);
      },
    });
    const sourceLags = () => this.sourceLags();
    new Gauge({
      name: 'tailwatch_source_lag_seconds',
      help: 'Now minus the end of the last window a polling source delivered whole, by source and stream.',
      labelNames: ['source', 'stream'],
      registers,
      collect() {
        this.reset();
        for (const lag of sourceLags()) this.labels(lag.source, lag.stream).set(lag.seconds);
      },
    });
    this.ingestToAlert = new Histogram({
      name: 'tailwatch_ingest_to_alert_seconds',
      help: 'From a record entering a source to its alert being committed.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  recordsReceived(source: string, count = 1): void { this.recordsReceivedBy.get(source).inc(count); }
  recordsRejected(source: string, reason: string, count = 1): void { this.recordsRejectedBy.get(source, reason).inc(count); }
  events(logType: string, tailnet: string, count = 1): void { this.eventsBy.get(logType, tailnet).inc(count); }
  ruleMatch(ruleId: string, by = 1): void { this.ruleMatchesBy.get(ruleId).inc(by); }
  signal(ruleId: string): void { this.signalsBy.get(ruleId).inc(); }
  ruleError(ruleId: string, by = 1): void { this.ruleErrorsBy.get(ruleId).inc(by); }
  ruleTimeout(ruleId: string): void { this.ruleTimeoutsBy.get(ruleId).inc(); }
  lateMatch(ruleId: string, by = 1): void { this.lateMatchesBy.get(ruleId).inc(by); }
  suppressedMatch(suppression: string, by = 1): void { this.suppressedMatchesBy.get(suppression).inc(by); }
  lateEvent(source: string, by = 1): void { this.lateEventsBy.get(source).inc(by); }
  alert(ruleId: string, severity: string, tailnet: string): void { this.alertsBy.get(ruleId, severity, tailnet).inc(); }
  /** `outcome`: e.g. `delivered`, `retry`, `dead_letter`. */
  delivery(destination: string, outcome: string): void { this.deliveriesBy.get(destination, outcome).inc(); }
  httpRequest(route: string, statusCode: number): void { this.httpRequestsBy.get(route, String(statusCode)).inc(); }
  setOutboxPending(count: number): void { this.outboxPending.set(count); }
  setRulesLoaded(count: number): void { this.rulesLoadedGauge.set(count); }
  configReloadFailed(): void { this.configReloadFailures.inc(); }
  backgroundTaskFailed(task: string): void { this.backgroundFailuresBy.get(task).inc(); }
  quarantineEvicted(count: number): void { this.quarantineEvictions.inc(count); }
  /** Call with each event's time (epoch ms); keeps the latest for the lag gauge. */
  eventSeen(eventTimeMs: number): void {
    if (eventTimeMs > this.latestEventTimeMs) this.latestEventTimeMs = eventTimeMs;
  }
  /** Where tailwatch_source_lag_seconds reads the polling sources' lags from. */
  watchSourceLags(provider: () => Iterable<SourceLagSample>): void { this.sourceLags = provider; }
  ingestToAlertSeconds(seconds: number): void { this.ingestToAlert.observe(seconds); }

  get contentType(): string { return this.registry.contentType; }
  /** The Prometheus text exposition of every metric, at most EXPOSITION_CACHE_MS old. */
  text(): Promise<string> {
    const now = Date.now();
    if (this.exposition === undefined || now - this.exposition.atMs >= EXPOSITION_CACHE_MS) {
      this.exposition = { atMs: now, text: this.registry.metrics() };
    }
    return this.exposition.text;
  }
}
