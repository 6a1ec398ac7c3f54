// Leases and fencing on a real nats-server: one owner per partition (compare-and-set create), a lapsed lease taken
// with a larger token, the old owner's renewal refused, its late alerts refused once the new owner published, and
// its late snapshot never read over the new owner's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { AlertPublisher, FENCING_TOKEN_HEADER, FencedError } from '../../engine/cluster/alert-publisher.ts';
import { Lease } from '../../engine/cluster/lease.ts';
import type { ClusterResources } from '../../engine/cluster/resources.ts';
import { loadSnapshot, removeOlderSnapshots, saveSnapshot } from '../../engine/cluster/snapshot-store.ts';
import { startNatsServer, type NatsServer } from './support/nats-server.ts';
import { openTestResources } from './support/resources.ts';

let nats: NatsServer;
let resources: ClusterResources;
beforeAll(async () => {
  nats = await startNatsServer();
  resources = await openTestResources(nats.url, 'fence');
});
afterAll(async () => {
  await resources?.connection.close();
  await nats?.close();
});

const alert = (alertId: string, revision = 1) => ({ alertId, revision, tailnet: 'default' }) as unknown as Alert;
const EMPTY_STATE = { watermarks: [], alerts: { windows: [] }, aggregates: {} } as never;

async function lastAlertToken(partition: string): Promise<number> {
  const last = await resources.connection.jsm.streams.getMessage(resources.config.streams.alerts, { last_by_subj: resources.names.alertSubject(partition) });
  return Number(last?.header.get(FENCING_TOKEN_HEADER));
}

describe('partition leases', () => {
  it('has one owner at a time; a lapsed lease goes to the next node with a larger token, and the old owner knows it lost it', async () => {
    const first = await Lease.tryAcquire(resources, 'p1', 'node-a');
    expect(first).toBeDefined();
    expect(await Lease.tryAcquire(resources, 'p1', 'node-b')).toBeUndefined();
    expect(await first!.renew()).toBe(true);
    // node-a stops renewing (paused): the bucket TTL lets the lease lapse, and node-b's create succeeds.
    const deadline = Date.now() + 10_000;
    let second: Lease | undefined;
    while ((second = await Lease.tryAcquire(resources, 'p1', 'node-b')) === undefined) {
      if (Date.now() > deadline) throw new Error('node-b never took the lapsed lease');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(second!.token).toBeGreaterThan(first!.token);
    expect(first!.valid).toBe(false);
    expect(await first!.renew()).toBe(false);
    expect(await second!.renew()).toBe(true);
  });

  it('a released lease is free at once', async () => {
    const lease = await Lease.tryAcquire(resources, 'p2', 'node-a');
    await lease!.release();
    const next = await Lease.tryAcquire(resources, 'p2', 'node-b');
    expect(next!.token).toBeGreaterThan(lease!.token);
  });
});

describe('fenced alert publishing', () => {
  it('drops a re-published revision as a duplicate and refuses an old owner once the new one has published', async () => {
    const old = new AlertPublisher(resources, 'p3', 10);
    expect(await old.publish(alert('a1'))).toBe(true);
    expect(await old.publish(alert('a1'))).toBe(false);
    const current = new AlertPublisher(resources, 'p3', 11);
    // The new owner's first publish passes over what the old owner wrote (a smaller token).
    expect(await current.publish(alert('a2'))).toBe(true);
    expect(await lastAlertToken('p3')).toBe(11);
    await expect(old.publish(alert('a3'))).rejects.toBeInstanceOf(FencedError);
    expect(await lastAlertToken('p3')).toBe(11);
    expect(await current.publish(alert('a3'))).toBe(true);
  });
});

describe('fenced snapshots', () => {
  it('reads the newest token, whatever an older owner writes later', async () => {
    const base = { partition: 'p4', node: 'n', takenAtMs: 0, state: EMPTY_STATE };
    await saveSnapshot(resources, { ...base, token: 5, seq: 10 });
    await saveSnapshot(resources, { ...base, token: 7, seq: 12 });
    await saveSnapshot(resources, { ...base, token: 5, seq: 99 });
    expect(await loadSnapshot(resources, 'p4')).toMatchObject({ token: 7, seq: 12 });
    await removeOlderSnapshots(resources, 'p4', 7);
    const names = (await resources.snapshots.list()).filter((info) => !info.deleted).map((info) => info.name);
    expect(names).toEqual([resources.names.snapshotName('p4', 7)]);
  });
});
