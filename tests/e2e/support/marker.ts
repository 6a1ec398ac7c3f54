// One audit event that only an e2e marker rule matches (by its action), posted through HEC with a distinct actor.
import { expect } from 'vitest';
import { postHec } from './hec-client.ts';
import { HEC_TOKEN } from './workspace.ts';

/** Posts the n-th marker (its actor `k<prefix><n>CNTRL`, its time minute n of a fixed hour) and returns the actor. */
export async function postMarker(baseUrl: string, marker: { action: string; prefix: string; n: number; hourUtc: Date }): Promise<string> {
  const actor = `k${marker.prefix}${marker.n}CNTRL`;
  const record = {
    eventTime: new Date(marker.hourUtc.getTime() + marker.n * 60_000).toISOString(),
    eventGroupID: `e2e${marker.prefix}${marker.n}`,
    origin: 'CONFIG_API',
    actor: { id: actor, type: 'OAUTH_CLIENT', loginName: '', displayName: 'OAuth client' },
    target: { id: 'example.com', name: 'example.com', type: 'TAILNET' },
    action: marker.action,
  };
  expect((await postHec(baseUrl, JSON.stringify({ event: record }), { token: HEC_TOKEN })).status).toBe(200);
  return actor;
}
