// Which rule's code this thread is running, in a slot another thread can read: the watchdog of the worker design
// (engine/workers) stops a rule that overruns its time budget. Writing it costs three stores per rule call.
export const IDLE = 0;
/** A rule function of the rule named by `slot[RULE]` is running. */
export const CALLING = 1;
/** The rule module (or rule set) named by `slot[RULE]` is being imported (compiled). */
export const LOADING = 2;
/** Slot fields: the phase, the running rule's index, and a counter bumped by every call (a stuck call leaves it still). */
export const PHASE = 0;
export const RULE = 1;
export const CALLS = 2;
export const SLOT_BYTES = 3 * Int32Array.BYTES_PER_ELEMENT;

let slot: Int32Array<ArrayBufferLike> = new Int32Array(3);
const indexes = new Map<string, number>();
const names: string[] = [];
let onNewName: ((index: number, id: string) => void) | undefined;

/**
 * Writes from now on into shared memory; `announce` hears each rule id (or module being loaded) the first time it
 * runs, before its code does: the watchdog names what overran by its index.
 */
export function shareCallSlot(buffer: SharedArrayBuffer, announce: (index: number, name: string) => void): void {
  slot = new Int32Array(buffer);
  onNewName = announce;
  names.forEach((name, index) => announce(index, name));
}

export function enterRule(id: string): void {
  enter(CALLING, id);
}

export function leaveCall(): void {
  slot[PHASE] = IDLE;
}

/** Around the import of a rule module (or the compiling of a rule set): a top-level loop overruns the load budget. */
export function enterLoading(what: string): void {
  enter(LOADING, what);
}

function enter(phase: number, name: string): void {
  let index = indexes.get(name);
  if (index === undefined) {
    index = names.length;
    names.push(name);
    indexes.set(name, index);
    onNewName?.(index, name);
  }
  slot[RULE] = index;
  slot[CALLS] = (slot[CALLS]! + 1) | 0;
  slot[PHASE] = phase;
}
