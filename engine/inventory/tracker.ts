// The stateful, main-thread side of the inventory, run in input order: each tailnet's stream position (the latest
// event time seen, in ms), the events' own changes (webhook, audit) and polled snapshots, each stored with the
// position from which it is known: one past the position of the last event evaluated before it was learned. A rule
// sees a version only when its event's position has reached that, which a replay of the same stream computes the
// same way (an event never sees what it or a later poll taught): replay equals live.
import type { TailscaleEvent } from '../schemas/log-types.ts';
import type { InventoryReader } from './reader.ts';
import type { InventoryChange, InventoryStore } from './store.ts';
import { changesFrom } from './event-changes.ts';

export class InventoryTracker {
  readonly #store: InventoryStore;
  readonly #reader: InventoryReader;
  /**
   * Not stored: it restarts with the first event evaluated (after a restart, the journal's), as a replay's does with
   * its first input; stored versions keep their positions.
   */
  readonly #positions = new Map<string, number>();

  /** `reader` resolves logins for the tracker's own writes (it may share the store's handle). */
  constructor(store: InventoryStore, reader: InventoryReader) {
    this.#store = store;
    this.#reader = reader;
  }

  get reader(): InventoryReader {
    return this.#reader;
  }

  /** The event's stream position (advances the tailnet's); rules of this event read the inventory as of it. */
  advance(event: TailscaleEvent, timeMs: number): number {
    const position = Math.max(this.#positions.get(event.p_tailnet) ?? 0, timeMs);
    this.#positions.set(event.p_tailnet, position);
    return position;
  }

  /** The tailnet's stream position now: the current event's while it is evaluated. */
  position(tailnet: string): number {
    return this.#positions.get(tailnet) ?? 0;
  }

  /** After the event's rules ran: what the event itself says, known from just past its position. */
  learn(event: TailscaleEvent, timeMs: number, position: number): void {
    const tailnet = event.p_tailnet;
    for (const change of changesFrom(event, (login) => this.#reader.find(tailnet, 'user', login, timeMs, position)?.id ?? login)) {
      this.#store.apply({ ...change, tailnet, validFrom: timeMs, learnedAt: position + 1, origin: event.p_log_type === 'Tailscale.Webhook' ? 'webhook' : 'audit' });
    }
  }

  /** Polled versions, known from just past the tailnet's current position. Returns how many changed something. */
  learnPolled(tailnet: string, changes: readonly Omit<InventoryChange, 'tailnet' | 'learnedAt' | 'origin'>[]): number {
    const learnedAt = (this.#positions.get(tailnet) ?? 0) + 1;
    let stored = 0;
    for (const change of changes) if (this.#store.apply({ ...change, tailnet, learnedAt, origin: 'poll' })) stored += 1;
    return stored;
  }
}
