// p_row_id: unique per event and cheap: a random per-process prefix and a counter.
import { randomBytes } from 'node:crypto';

const PREFIX = randomBytes(8).toString('hex');
let counter = 0;

export function nextRowId(): string {
  counter++;
  return PREFIX + counter.toString(36);
}
