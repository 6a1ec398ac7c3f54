// Timers by name: setting one replaces the previous of that name; all of them go at once on stop.

export class NamedTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  set(name: string, seconds: number, fire: () => void): void {
    this.clear(name);
    if (this.stopped) return;
    this.timers.set(name, setTimeout(() => {
      this.timers.delete(name);
      fire();
    }, seconds * 1000));
  }

  has(name: string): boolean {
    return this.timers.has(name);
  }

  clear(name: string): void {
    clearTimeout(this.timers.get(name));
    this.timers.delete(name);
  }

  /** Clears every timer and refuses new ones. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
