// The parsed endpoints of a traffic array, shared by every rule that reads it: several flow rules walk the same
// entries of the same event, and each entry's endpoint is then parsed once, not once per rule.
import { parseEndpoint } from './address.ts';
import type { Endpoint } from './address.ts';
import type { TrafficEntry } from './network.ts';

/** Traffic arrays remembered per side: the four kinds of one record. */
const SLOTS = 4;

class EndpointMemo {
  readonly #side: 'src' | 'dst';
  readonly #arrays: (readonly TrafficEntry[] | undefined)[] = new Array<undefined>(SLOTS).fill(undefined);
  readonly #endpoints: (readonly Endpoint[])[] = new Array<readonly Endpoint[]>(SLOTS).fill([]);
  #next = 0;

  constructor(side: 'src' | 'dst') {
    this.#side = side;
  }

  of(entries: readonly TrafficEntry[]): readonly Endpoint[] {
    for (let i = 0; i < SLOTS; i++) if (this.#arrays[i] === entries) return this.#endpoints[i]!;
    const side = this.#side;
    const endpoints = entries.map((entry) => parseEndpoint(entry[side]));
    const slot = this.#next;
    this.#next = (slot + 1) % SLOTS;
    this.#arrays[slot] = entries;
    this.#endpoints[slot] = endpoints;
    return endpoints;
  }
}

const sources = new EndpointMemo('src');
const destinations = new EndpointMemo('dst');

/** parseEndpoint(entries[i].dst) for each i, computed once for the traffic arrays read last (do not mutate events). */
export function dstEndpoints(entries: readonly TrafficEntry[]): readonly Endpoint[] {
  return destinations.of(entries);
}

/** parseEndpoint(entries[i].src) for each i, computed once for the traffic arrays read last. */
export function srcEndpoints(entries: readonly TrafficEntry[]): readonly Endpoint[] {
  return sources.of(entries);
}
