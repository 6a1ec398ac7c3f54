// Polls a tailnet's devices, users, keys and policy file through the Tailscale API client (auth, 429 and backoff,
// scope errors) and stores what changed. A record seen for the first time is valid from its `created` time (since the
// beginning, without one); a change, or a record gone from the answer (a deletion), from the poll's time.
import type { TailscaleApiClient } from '../tailscale-api/client.ts';
import { TailwatchError } from '../errors.ts';
import { keyFromApi, listOf, nodeFromApi, userFromApi } from './api-records.ts';
import { POLICY_ID } from './records.ts';
import type { InventoryKind } from './records.ts';
import type { InventoryChange, InventoryStore } from './store.ts';
import type { InventoryTracker } from './tracker.ts';

/** The OAuth scope each resource needs (named in a 403's message). */
export const INVENTORY_SCOPES = { devices: 'devices:core:read', users: 'users:read', keys: 'auth_keys:read', policy: 'policy_file:read' } as const;

export interface InventoryPollerOptions {
  tailnet: string;
  client: TailscaleApiClient;
  store: InventoryStore;
  /** Where polled changes are learned: the tracker, or the evaluation worker that holds it. */
  tracker: { learnPolled: (...args: Parameters<InventoryTracker['learnPolled']>) => number | Promise<number> };
  now?: () => number;
}

type PolledChange = Omit<InventoryChange, 'tailnet' | 'learnedAt' | 'origin'>;

export class InventoryPoller {
  readonly #options: InventoryPollerOptions;

  constructor(options: InventoryPollerOptions) {
    this.#options = options;
  }

  /** One poll of every resource; throws (after storing what did arrive) when any resource failed. */
  async poll(signal: AbortSignal): Promise<number> {
    const { client, tracker, tailnet } = this.#options;
    const failures: Error[] = [];
    const changes: PolledChange[] = [];
    const resource = async (name: string, fetch: () => Promise<PolledChange[]>) => {
      try {
        changes.push(...(await fetch()));
      } catch (error) {
        if (signal.aborted) throw error;
        failures.push(error instanceof Error ? error : new Error(`${name}: ${String(error)}`));
      }
    };
    await resource('devices', async () => {
      const body = await client.getTailnet('devices', { query: { fields: 'all' }, scope: INVENTORY_SCOPES.devices, signal });
      return this.#snapshot('node', listOf(body, 'devices').map(nodeFromApi));
    });
    await resource('users', async () => this.#snapshot('user', listOf(await client.getTailnet('users', { scope: INVENTORY_SCOPES.users, signal }), 'users').map(userFromApi)));
    await resource('keys', async () => {
      const listed = listOf(await client.getTailnet('keys', { query: { all: 'true' }, scope: INVENTORY_SCOPES.keys, signal }), 'keys');
      const details = [];
      // The list holds ids (and, lately, some fields); the details (capabilities) come from each key's own URL.
      for (const key of listed) {
        if (typeof key['id'] !== 'string') continue;
        details.push(keyFromApi({ ...key, ...(await client.getTailnet(`keys/${encodeURIComponent(key['id'])}`, { scope: INVENTORY_SCOPES.keys, signal }) as object) }));
      }
      return this.#snapshot('key', details);
    });
    await resource('policy', async () => {
      const policy = await client.getTailnet('acl', { scope: INVENTORY_SCOPES.policy, signal });
      return this.#snapshot('policy', [{ id: POLICY_ID, raw: JSON.stringify(policy) }]);
    });
    const stored = await tracker.learnPolled(tailnet, changes);
    if (failures.length > 0) throw new TailwatchError('INVENTORY', `inventory poll of tailnet ${tailnet}: ${failures.map((error) => error.message).join('; ')}`);
    return stored;
  }

  /** A whole list's changes: every record, and a deletion for each id present before and missing now. */
  #snapshot(kind: InventoryKind, records: readonly (Record<string, unknown> & { id: string } | undefined)[]): PolledChange[] {
    const present = this.#options.store.latestPresence(this.#options.tailnet, kind);
    const polledAt = (this.#options.now ?? Date.now)();
    const seen = new Set<string>();
    const changes: PolledChange[] = [];
    for (const polled of records) {
      if (polled === undefined) continue;
      const { id, ...rest } = polled;
      seen.add(id);
      // The policy record is { raw }: its id is the store's key, not one of its fields.
      const record = kind === 'policy' ? rest : polled;
      changes.push({ kind, id, record, validFrom: present.has(id) ? polledAt : firstValid(polled['created']) });
    }
    for (const [id, isPresent] of present) if (isPresent && !seen.has(id)) changes.push({ kind, id, record: null, validFrom: polledAt });
    return changes;
  }
}

/** A record first seen is valid from its creation (from the beginning when the API gives no time). */
function firstValid(created: unknown): number {
  const ms = typeof created === 'string' ? Date.parse(created) : NaN;
  return Number.isFinite(ms) ? ms : Number.MIN_SAFE_INTEGER;
}
