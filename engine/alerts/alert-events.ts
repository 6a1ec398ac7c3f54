// The events that formed an alert, bounded: of each alert's matches (numbered 1, 2, … in the order its window
// counted them), the first FIRST_EVENTS and the latest LATEST_EVENTS are kept, each record cut at MAX_RECORD_CHARS.
// A window holds them until its alert exists; from then on they go straight to the evaluator's changes.
import type { TailscaleEvent } from '../schemas/log-types.ts';

export const FIRST_EVENTS = 5;
export const LATEST_EVENTS = 5;
/** A record's JSON longer than this is kept cut (and marked so): at most 10 × 8 KiB per alert. */
export const MAX_RECORD_CHARS = 8192;

/** One matched event as it is kept: plain JSON (a window's held events are part of the evaluator's snapshot). */
export interface HeldEvent {
  /** The match's number in its alert's window (1 = the first). */
  ordinal: number;
  eventTimeMs: number;
  /** The source that delivered it (p_source_label). */
  source: string;
  logType: string;
  /** The record's JSON (the event's `event` field), cut at MAX_RECORD_CHARS. */
  record: string;
  truncated: boolean;
}

/** A matched event of an alert: the live pipeline keeps it (engine/pipeline/live/alert-events.ts). */
export interface AlertEvent extends HeldEvent {
  alertId: string;
}

export function heldEvent(ordinal: number, eventTimeMs: number, event: TailscaleEvent): HeldEvent {
  const json = JSON.stringify(event.event);
  const truncated = json.length > MAX_RECORD_CHARS;
  return { ordinal, eventTimeMs, source: event.p_source_label, logType: event.p_log_type, record: truncated ? json.slice(0, MAX_RECORD_CHARS) : json, truncated };
}

/** Whether an alert whose newest match is `newest` keeps its match `ordinal`. */
export function keeps(ordinal: number, newest: number): boolean {
  return ordinal <= FIRST_EVENTS || ordinal > newest - LATEST_EVENTS;
}

/** Adds the newest match to a window's held events (ordinals ascending), dropping the one that fell out of bounds. */
export function hold(held: HeldEvent[], event: HeldEvent): void {
  held.push(event);
  const dropped = held.findIndex((entry) => !keeps(entry.ordinal, event.ordinal));
  if (dropped !== -1) held.splice(dropped, 1);
}
