// Event-time watermarks, one per (tailnet, log type): the latest event time seen in that stream. A rule over several
// log types is clocked by the slowest of those it has seen, so one busy log type never closes another's windows.

export type WatermarkEntry = [tailnet: string, logType: string, ms: number];

export class Watermarks {
  readonly #byStream = new Map<string, Map<string, number>>();

  /** -Infinity until the stream's first event. */
  of(tailnet: string, logType: string): number {
    return this.#byStream.get(tailnet)?.get(logType) ?? -Infinity;
  }

  /** Moves the stream's watermark to `ms` if that is later; true when it moved. */
  advance(tailnet: string, logType: string, ms: number): boolean {
    let streams = this.#byStream.get(tailnet);
    if (streams === undefined) this.#byStream.set(tailnet, (streams = new Map()));
    const current = streams.get(logType);
    if (current !== undefined && current >= ms) return false;
    streams.set(logType, ms);
    return true;
  }

  /** The clock of a rule in a tailnet: the minimum watermark over its log types seen there (-Infinity if none). */
  clock(tailnet: string, logTypes: readonly string[]): number {
    const streams = this.#byStream.get(tailnet);
    if (streams === undefined) return -Infinity;
    let min = Infinity;
    for (const logType of logTypes) {
      const ms = streams.get(logType);
      if (ms !== undefined && ms < min) min = ms;
    }
    return min === Infinity ? -Infinity : min;
  }

  /** What `clock` will be once an event of `logType` at `ms` has advanced its stream. */
  clockAfter(tailnet: string, logTypes: readonly string[], logType: string, ms: number): number {
    const streams = this.#byStream.get(tailnet);
    let min = Infinity;
    for (const type of logTypes) {
      const seen = streams?.get(type);
      const after = type === logType ? Math.max(seen ?? -Infinity, ms) : seen;
      if (after !== undefined && after < min) min = after;
    }
    return min === Infinity ? -Infinity : min;
  }

  entries(): WatermarkEntry[] {
    const out: WatermarkEntry[] = [];
    for (const [tailnet, streams] of this.#byStream) for (const [logType, ms] of streams) out.push([tailnet, logType, ms]);
    return out;
  }

  restore(entries: readonly WatermarkEntry[]): void {
    this.#byStream.clear();
    for (const [tailnet, logType, ms] of entries) this.advance(tailnet, logType, ms);
  }
}
