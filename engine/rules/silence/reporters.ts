// What one silence rule knows of its reporters, per tailnet, on event-time minutes: the stateful half of the kind,
// kept on the main thread and applied in input order (docs/rules.md, "Silence rules"). A minute is settled once the
// rule's clock is past its end by the allowed lateness: reports in it can no longer arrive. Reports in settled
// minutes are late (dropped, counted); the others wait in `pending` and are folded in time order as minutes settle,
// so which silences are found depends only on the reports that arrived within the lateness, never on their order.
import type { SilenceWindow } from './types.ts';

export const DEFAULT_MAX_REPORTERS = 100_000;

export interface ReporterState {
  /** The latest settled minute it reported in (epoch minutes), null until one settles. */
  last: number | null;
  /** Minutes it reported in that have not settled yet, ascending, distinct (at most lateness + 1 of them). */
  pending: number[];
  /** Baseline windows (epoch index) it reported in, ascending, within the last `windows` of `last`. */
  active: number[];
  /** The silence after `last` was decided (found, or not normal enough to count). */
  decided: boolean;
}

export interface SilenceCounts {
  reports: number;
  /** Reports in minutes already settled: dropped. */
  lateReports: number;
  /** Reporters forgotten at the cap. */
  evictedReporters: number;
  /** Silences of reporters that normally report. */
  silences: number;
}

export interface ReportersSnapshot {
  /** settledThrough is null before the tailnet's first settlement. */
  tailnets: [tailnet: string, settledThrough: number | null, reporters: [reporter: string, state: ReporterState][]][];
  counts: SilenceCounts;
}

/** A silence found: its reporter was silent from the end of minute `lastMinute` for the rule's silenceMinutes. */
export interface FoundSilence {
  tailnet: string;
  reporter: string;
  lastMinute: number;
  reportingWindows: number;
}

interface TailnetReporters {
  /** Minutes before this one are settled. */
  settledThrough: number;
  /** Least recently reporting first (a reporter moves to the back when a report of it settles). */
  reporters: Map<string, ReporterState>;
}

export class Reporters {
  readonly #window: SilenceWindow;
  readonly #max: number;
  #byTailnet = new Map<string, TailnetReporters>();
  #size = 0;
  counts: SilenceCounts = { reports: 0, lateReports: 0, evictedReporters: 0, silences: 0 };

  constructor(window: SilenceWindow) {
    this.#window = window;
    this.#max = window.maxReporters ?? DEFAULT_MAX_REPORTERS;
  }

  get size(): number {
    return this.#size;
  }

  /** A report in `minute`; false (counted, dropped) when that minute is before `settledBefore`, the rule's clock's. */
  report(tailnet: string, reporter: string, minute: number, settledBefore: number): boolean {
    if (minute < settledBefore) {
      this.counts.lateReports += 1;
      return false;
    }
    this.counts.reports += 1;
    const held = this.#tailnet(tailnet);
    let state = held.reporters.get(reporter);
    if (state === undefined) {
      held.reporters.set(reporter, (state = { last: null, pending: [], active: [], decided: false }));
      this.#size += 1;
      if (this.#size > this.#max) this.#evictFrom(held);
    }
    insertDistinct(state.pending, minute);
    return true;
  }

  /** True when minutes of `tailnet` before `throughMinute` are not all settled yet (most events: false). */
  settles(tailnet: string, throughMinute: number): boolean {
    return throughMinute > (this.#byTailnet.get(tailnet)?.settledThrough ?? Infinity);
  }

  /** Settles the minutes of `tailnet` before `throughMinute`: folds their reports and pushes the silences they end in. */
  settle(tailnet: string, throughMinute: number, out: FoundSilence[]): void {
    const held = this.#byTailnet.get(tailnet);
    if (held === undefined || throughMinute <= held.settledThrough) return;
    held.settledThrough = throughMinute;
    this.#fold(tailnet, held, throughMinute, throughMinute, out);
  }

  /**
   * End of a replay: every pending report folds; a silence is found when it has lasted by the tailnet's clock
   * (`clockMinuteOf`, fractional), as live would find it once more data came.
   */
  settleAll(clockMinuteOf: (tailnet: string) => number, out: FoundSilence[]): void {
    for (const [tailnet, held] of [...this.#byTailnet].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      this.#fold(tailnet, held, Infinity, clockMinuteOf(tailnet), out);
    }
    this.#byTailnet.clear();
    this.#size = 0;
  }

  exportState(): ReportersSnapshot {
    const tailnets = [...this.#byTailnet].map(([tailnet, held]): ReportersSnapshot['tailnets'][number] => [
      tailnet, Number.isFinite(held.settledThrough) ? held.settledThrough : null, [...held.reporters],
    ]);
    return { tailnets, counts: { ...this.counts } };
  }

  importState(snapshot: ReportersSnapshot | undefined): void {
    this.#byTailnet = new Map((snapshot?.tailnets ?? []).map(([tailnet, settledThrough, reporters]) => [tailnet, { settledThrough: settledThrough ?? -Infinity, reporters: new Map(reporters) }]));
    this.#size = (snapshot?.tailnets ?? []).reduce((sum, [, , reporters]) => sum + reporters.length, 0);
    this.counts = { reports: 0, lateReports: 0, evictedReporters: 0, silences: 0, ...snapshot?.counts };
  }

  #tailnet(tailnet: string): TailnetReporters {
    let held = this.#byTailnet.get(tailnet);
    if (held === undefined) this.#byTailnet.set(tailnet, (held = { settledThrough: -Infinity, reporters: new Map() }));
    return held;
  }

  /**
   * Folds each reporter's pending minutes before `foldBefore` in order (a gap of silenceMinutes between two of them
   * is a silence), then decides the silence after its last report once `decideThrough` has reached its end.
   */
  #fold(tailnet: string, held: TailnetReporters, foldBefore: number, decideThrough: number, out: FoundSilence[]): void {
    const { silenceMinutes, windowMinutes, windows } = this.#window;
    const found: FoundSilence[] = [];
    const moved: [string, ReporterState][] = [];
    for (const [reporter, state] of held.reporters) {
      let folded = false;
      while (state.pending.length > 0 && state.pending[0]! < foldBefore) {
        const minute = state.pending.shift()!;
        if (state.last !== null && minute >= state.last + 1 + silenceMinutes) this.#decide(tailnet, reporter, state, found);
        state.last = minute;
        state.decided = false;
        addActive(state.active, Math.floor(minute / windowMinutes), windows);
        folded = true;
      }
      if (state.last !== null && state.last + 1 + silenceMinutes <= decideThrough) this.#decide(tailnet, reporter, state, found);
      if (folded) moved.push([reporter, state]);
      else if (state.pending.length === 0 && state.last !== null && Math.floor(decideThrough / windowMinutes) - Math.floor(state.last / windowMinutes) >= windows) {
        // Its baseline is empty: it cannot be normally reporting any more until it reports again.
        held.reporters.delete(reporter);
        this.#size -= 1;
      }
    }
    for (const [reporter, state] of moved) {
      held.reporters.delete(reporter);
      held.reporters.set(reporter, state);
    }
    // Several silences of one settlement in time, then reporter order: never the order reporters first appeared in.
    found.sort((a, b) => a.lastMinute - b.lastMinute || (a.reporter < b.reporter ? -1 : a.reporter > b.reporter ? 1 : 0));
    out.push(...found);
  }

  #decide(tailnet: string, reporter: string, state: ReporterState, found: FoundSilence[]): void {
    if (state.decided || state.last === null) return;
    state.decided = true;
    const { windowMinutes, windows, minReportingWindows } = this.#window;
    const lastWindow = Math.floor(state.last / windowMinutes);
    const reportingWindows = state.active.filter((window) => window > lastWindow - windows).length;
    if (reportingWindows < minReportingWindows) return;
    this.counts.silences += 1;
    found.push({ tailnet, reporter, lastMinute: state.last, reportingWindows });
  }

  /** The tailnet's least recently reporting reporter goes (the one just added, when it is the only one). */
  #evictFrom(held: TailnetReporters): void {
    const oldest = held.reporters.keys().next().value;
    if (oldest === undefined) return;
    held.reporters.delete(oldest);
    this.#size -= 1;
    this.counts.evictedReporters += 1;
  }
}

function insertDistinct(minutes: number[], minute: number): void {
  let i = minutes.length;
  while (i > 0 && minutes[i - 1]! > minute) i--;
  if (minutes[i - 1] !== minute) minutes.splice(i, 0, minute);
}

/** Records a window it reported in (windows come in ascending order) and forgets those past the baseline. */
function addActive(active: number[], window: number, windows: number): void {
  if (active[active.length - 1] !== window) active.push(window);
  while (active[0]! <= window - windows) active.shift();
}
