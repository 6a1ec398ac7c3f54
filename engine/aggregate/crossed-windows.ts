// Which of a group's recent windows have crossed already: every window that crosses is one match, once. A window
// can only be (re)checked while it ends within the allowed lateness of the group's newest minute, so 32 bits
// relative to the newest window marked suffice for any lateness up to MAX_ALLOWED_LATENESS_MINUTES (30).
import { NO_MINUTE } from './group-store.ts';
import type { Group } from './group-store.ts';

export function isCrossed(state: Group, end: number): boolean {
  const i = state.crossedAt - end;
  return state.crossedAt !== NO_MINUTE && i >= 0 && (i >= 32 || ((state.crossedMask >>> i) & 1) === 1);
}

export function markCrossed(state: Group, end: number): void {
  if (state.crossedAt === NO_MINUTE || end > state.crossedAt) {
    const shift = state.crossedAt === NO_MINUTE ? 32 : end - state.crossedAt;
    state.crossedMask = shift >= 32 ? 0 : (state.crossedMask << shift) >>> 0;
    state.crossedAt = end;
  }
  state.crossedMask = (state.crossedMask | (1 << (state.crossedAt - end))) >>> 0;
}
