// `replay --workers N` gives exactly what one worker gives: for generated streams (audit changes and flow records of a
// few actors and nodes, in disorder beyond the lateness, split over files and tailnets, with malformed lines), every
// worker's share of the whole pack, merged in any interleaving of their messages, equals the one-worker output:
// alerts, signals, rejects and the summary. The workers run here in-process (replayShard is each worker thread's body);
// tests/cli/replay-workers.test.ts runs the real threads.
import fc from 'fast-check';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../engine/config/load.ts';
import { replayJobConfig } from '../../engine/cli/replay-command.ts';
import type { ReplayArgs } from '../../engine/cli/replay-command.ts';
import { ShardMerge } from '../../engine/cli/replay-merge.ts';
import type { ReplayJob, ReplayMessage } from '../../engine/cli/replay-messages.ts';
import { replayShard } from '../../engine/cli/replay-shard.ts';

const PACK = resolve(import.meta.dirname, '../../rules');
const T0 = Date.parse('2026-05-04T09:00:00.000Z');

type Json = Record<string, unknown>;
const ACTORS = ['Alice', 'Bob', 'Mallory'];
const NODES = ['nAlphaCNTRL', 'nBetaCNTRL', 'nGammaCNTRL'];
const person = (n: number) => ({ id: `u${ACTORS[n]}CNTRL`, type: 'USER', loginName: `${ACTORS[n]!.toLowerCase()}@example.com`, displayName: ACTORS[n] });
const tailnet = { id: 'example.com', name: 'example.com', type: 'TAILNET' };

/** Audit changes that pack rules (and the correlations over them) read. */
const AUDITS: ((actor: number, n: number) => Json)[] = [
  (_actor, n) => ({ target: { id: `u${ACTORS[n % 3]}CNTRL`, name: `${ACTORS[n % 3]!.toLowerCase()}@example.com`, type: 'USER', property: 'USER_ROLE' }, action: 'UPDATE', old: 'member', new: 'admin' }),
  (_actor, n) => ({ target: { id: `k${n}CNTRL`, name: 'Auth key', type: 'API_KEY' }, action: 'CREATE', new: { capabilities: ['PREAUTHORIZED', 'REUSABLE'] } }),
  (_actor, n) => ({ target: { id: NODES[n % 3], name: `node-${n % 3}.example.ts.net`, type: 'NODE' }, action: 'CREATE' }),
  () => ({ target: { ...tailnet, property: 'NETWORK_FLOW_LOGGING' }, action: 'DISABLE' }),
  () => ({ target: { ...tailnet, property: 'MAGIC_DNS' }, action: 'DISABLE' }),
  () => ({ target: { ...tailnet, property: 'ACL' }, action: 'UPDATE', old: '{}', new: '{"acls":[]}' }),
  (_actor, n) => ({ target: { id: NODES[n % 3], type: 'NODE', property: 'KEY_EXPIRY_TIME' }, action: 'DISABLE' }),
  () => ({ target: { id: 'uDanCNTRL', type: 'USER' }, action: 'LOGIN' }),
];

/** Flow shapes: SSH fan-out, a port scan, heavy receive, exit traffic. */
const FLOWS: ((node: number, n: number) => Json)[] = [
  (node, n) => ({ virtualTraffic: Array.from({ length: 3 + n }, (_, i) => ({ proto: 6, src: `100.64.7.${node}:${40000 + i}`, dst: `100.64.3.${i + 1}:22`, txPkts: 12, txBytes: 2400 })) }),
  (node, n) => ({ virtualTraffic: Array.from({ length: 4 + n }, (_, i) => ({ proto: 6, src: `100.64.7.${node}:41000`, dst: `100.64.4.9:${1000 + i * 7}`, txPkts: 1 })) }),
  (node, n) => ({ virtualTraffic: [{ proto: 6, src: `100.64.7.${node}:443`, dst: `100.64.5.${n}:50000`, rxPkts: 9000, rxBytes: 2_000_000_000 * (n + 1) }] }),
  (node, n) => ({
    srcNode: { nodeId: NODES[node], name: `node-${node}.example.ts.net`, addresses: [`100.64.7.${node}`] },
    exitTraffic: [{ proto: 6, src: `100.64.7.${node}:52000`, dst: `203.0.113.${n}:443`, txPkts: 40, txBytes: 900_000_000 * (n + 1) }],
  }),
];

const generatedRecord = fc.record({
  kind: fc.constantFrom('audit', 'flow', 'flow', 'garbage'),
  shape: fc.nat(7),
  who: fc.nat(2),
  n: fc.nat(8),
  minute: fc.nat(90),
  second: fc.nat(59),
  /** Arrival: later by up to 15 minutes, past the 10-minute lateness. */
  delay: fc.nat(15),
  file: fc.nat(2),
});
type Generated = typeof generatedRecord extends fc.Arbitrary<infer T> ? T : never;

function line(g: Generated): string {
  const at = T0 + g.minute * 60_000 + g.second * 1000;
  if (g.kind === 'garbage') return g.n % 2 === 0 ? '{"eventTime": "not json' : JSON.stringify({ eventTime: 'yesterday', action: 'CREATE' });
  if (g.kind === 'audit') {
    return JSON.stringify({ eventTime: new Date(at).toISOString(), eventGroupID: `g${g.minute}-${g.n}`, origin: 'ADMIN_CONSOLE', actor: person(g.who), ...AUDITS[g.shape]!(g.who, g.n) });
  }
  return JSON.stringify({
    nodeId: NODES[g.who],
    start: new Date(at - 5000).toISOString(),
    end: new Date(at).toISOString(),
    logged: new Date(at + 1000).toISOString(),
    ...FLOWS[g.shape % FLOWS.length]!(g.who, g.n),
  });
}

let dir: string;
let config: ReplayJob['config'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-workers-'));
  config = replayJobConfig(validateConfig({ rules: { dir: PACK }, destinations: {}, defaultRoute: [] }, dir, 'the test config'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let runs = 0;

/** The stream as files (each record to its file, in arrival order); a second tailnet for files under `east/`. */
async function writeStream(records: readonly Generated[]): Promise<string> {
  const root = join(dir, `run-${runs++}`);
  const files: string[][] = [[], [], []];
  for (const record of [...records].sort((a, b) => a.minute + a.delay - (b.minute + b.delay))) files[record.file]!.push(line(record));
  await mkdir(join(root, 'east'), { recursive: true });
  await writeFile(join(root, 'a.ndjson'), files[0]!.join('\n'));
  await writeFile(join(root, 'b.ndjson'), files[1]!.join('\n'));
  await writeFile(join(root, 'east', 'c.ndjson'), files[2]!.join('\n'));
  return root;
}

function args(root: string): ReplayArgs {
  return {
    paths: [root], tailnet: 'west.example', 'tailnet-map': [`${root}/east/**=east.example`], inventory: undefined, rules: PACK, rule: undefined,
    from: undefined, to: undefined, learnFrom: undefined, format: 'json', rejects: undefined, config: undefined, deliver: false,
    progress: false, signals: true, workers: undefined,
  };
}

/** Each worker's messages, in the order it posted them. */
async function shardMessages(root: string, count: number): Promise<ReplayMessage[][]> {
  const posted: ReplayMessage[][] = [];
  for (let index = 0; index < count; index++) {
    const messages: ReplayMessage[] = [];
    await replayShard({ args: args(root), config, stopped: [], stdinFile: undefined, shard: { index, count } }, (message) => messages.push(message));
    posted.push(messages);
  }
  return posted;
}

/**
 * The merged output when the workers' messages arrive in the interleaving `picks` gives (each worker's in order): what
 * goes to stdout (alerts, signals) and to stderr (rejects, errors, the summary), each in its order.
 */
function merged(posted: ReplayMessage[][], picks: readonly number[]): { stdout: string[]; stderr: string[] } {
  const out = { stdout: [] as string[], stderr: [] as string[] };
  const merge = new ShardMerge(posted.length, (message) => {
    if (message.type === 'progress' || message.type === 'inputs') return;
    // p_row_id is random per process (engine/schemas/row-id.ts): the one field of a signal's event that may differ.
    const text = JSON.stringify(message).replaceAll(/"p_row_id":"\w+"/g, '"p_row_id":""');
    (message.type === 'alert' || message.type === 'signal' ? out.stdout : out.stderr).push(text);
  });
  const next = posted.map(() => 0);
  let pick = 0;
  while (next.some((at, index) => at < posted[index]!.length)) {
    const live = posted.flatMap((messages, index) => (next[index]! < messages.length ? [index] : []));
    const index = live[(picks[pick++ % picks.length] ?? 0) % live.length]!;
    merge.message(index, posted[index]![next[index]!++]!);
  }
  return out;
}

describe('replay --workers N = --workers 1 (property)', () => {
  it('gives the same alerts, signals, rejects and summary for any stream, split and interleaving', async () => {
    let alerts = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(generatedRecord, { minLength: 10, maxLength: 70 }), fc.integer({ min: 2, max: 4 }), fc.array(fc.nat(7), { minLength: 1, maxLength: 30 }), async (records, count, picks) => {
        const root = await writeStream(records);
        const one = merged(await shardMessages(root, 1), [0]);
        const many = merged(await shardMessages(root, count), picks);
        expect(many).toEqual(one);
        alerts += one.stdout.filter((text) => text.startsWith('{"type":"alert"')).length;
      }),
      { numRuns: 20 },
    );
    // The generated streams do alert (and the comparison above is not of empty outputs).
    expect(alerts).toBeGreaterThan(20);
  }, 120_000);
});
