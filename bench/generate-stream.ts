// Generates a realistic Tailscale log stream for benchmarks: ~98% flow records, ~2% audit, every delivery shape.

/** mixed: bare records, HEC envelopes and Panther-stored rows; hec: HEC envelopes only; panther: Panther rows only. */
export type StreamShape = 'mixed' | 'hec' | 'panther';

export interface StreamOptions {
  records: number;
  /** Deterministic output for a given seed. */
  seed?: number;
  startMs?: number;
  /** Share of audit records (default 0.02); 1 gives an audit-only stream. */
  auditShare?: number;
  shape?: StreamShape;
  /** Every audit record from this origin (default: half ADMIN_CONSOLE, half CONFIG_API). */
  auditOrigin?: string;
  /** Audit actors to draw from (default 1: every change by the same admin). */
  actors?: number;
  /** Milliseconds between consecutive records (default 12: 400 nodes each reporting every 5 s). */
  stepMs?: number;
  /** Flow records' times with nanoseconds (as tailscaled writes them) and source ports drawn from 1024–65535. */
  nanosecondTimes?: boolean;
}

const NODES = 400;

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function nodeIp(n: number): string {
  return `100.64.${(n >> 8) & 255}.${n & 255}`;
}

/** Each node talks to a few fixed peers on fixed service ports, as real tailnets do. */
function peersOf(node: number): { node: number; port: number }[] {
  return [
    { node: (node * 7 + 1) % NODES, port: 443 },
    { node: (node * 13 + 5) % NODES, port: 5432 },
    { node: (node * 31 + 11) % NODES, port: 22 },
  ];
}

/** RFC 3339 with 9 fractional digits: the millisecond time plus random sub-millisecond digits. */
function nanosecondTime(random: () => number, ms: number): string {
  const sub = String(Math.floor(random() * 1e6)).padStart(6, '0');
  return new Date(ms).toISOString().replace('Z', `${sub}Z`);
}

function networkRecord(random: () => number, endMs: number, options: StreamOptions): Record<string, unknown> {
  const time = (ms: number) => (options.nanosecondTimes ? nanosecondTime(random, ms) : new Date(ms).toISOString());
  const sourcePort = () => (options.nanosecondTimes ? 1024 + Math.floor(random() * 64512) : 40000 + Math.floor(random() * 20000));
  const src = Math.floor(random() * NODES);
  const dstNodes = [];
  const virtualTraffic = [];
  for (const peer of peersOf(src)) {
    if (random() < 0.3) continue;
    dstNodes.push({ nodeId: `n${peer.node}CNTRL`, name: `node-${peer.node}.example.ts.net`, addresses: [nodeIp(peer.node)], os: 'linux', tags: ['tag:server'] });
    for (let j = 0; j < 2; j++) {
      virtualTraffic.push({
        proto: 6,
        src: `${nodeIp(src)}:${sourcePort()}`,
        dst: `${nodeIp(peer.node)}:${peer.port}`,
        txPkts: 1 + Math.floor(random() * 500),
        txBytes: Math.floor(random() * 400_000),
        rxPkts: 1 + Math.floor(random() * 500),
        rxBytes: Math.floor(random() * 400_000),
      });
    }
  }
  const physicalTraffic = [
    { src: `${nodeIp(src)}:0`, dst: `203.0.113.${src % 250}:41641`, txPkts: 20, txBytes: 9000, rxPkts: 18, rxBytes: 7600 },
  ];
  return {
    logged: time(endMs + 1500),
    nodeId: `n${src}CNTRL`,
    start: time(endMs - 5000),
    end: time(endMs),
    srcNode: { nodeId: `n${src}CNTRL`, name: `node-${src}.example.ts.net`, addresses: [nodeIp(src), `fd7a:115c:a1e0::${src.toString(16)}`], tags: ['tag:server'] },
    dstNodes,
    virtualTraffic,
    physicalTraffic,
  };
}

function auditRecord(random: () => number, atMs: number, options: StreamOptions): Record<string, unknown> {
  const property = ['MAGIC_DNS', 'HTTPS', 'ACL_TAGS', 'KEY_EXPIRY', 'MACHINE_APPROVAL_NEEDED'][Math.floor(random() * 5)];
  const randomOrigin = random() < 0.5 ? 'ADMIN_CONSOLE' : 'CONFIG_API';
  const actor = (options.actors ?? 1) > 1 ? Math.floor(random() * (options.actors ?? 1)) : 0;
  return {
    eventTime: new Date(atMs).toISOString(),
    eventGroupID: Math.floor(random() * 1e12).toString(16),
    origin: options.auditOrigin ?? randomOrigin,
    actor: actor === 0
      ? { id: 'uExampleCNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice Example' }
      : { id: `u${actor}CNTRL`, type: 'USER', loginName: `admin${actor}@example.com`, displayName: `Admin ${actor}` },
    target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property },
    action: random() < 0.3 ? 'DISABLE' : 'UPDATE',
    old: true,
    new: false,
  };
}

/** Lines of text (each ends with "\n"); HEC lines hold several concatenated envelopes, like a HEC POST body. */
export function* generateStream(options: StreamOptions): Generator<string> {
  const random = rng(options.seed ?? 42);
  const auditShare = options.auditShare ?? 0.02;
  let atMs = options.startMs ?? Date.parse('2026-06-01T00:00:00Z');
  let written = 0;
  while (written < options.records) {
    const roll = random();
    // Drawn for every shape, so the default mixed stream of a seed is what it was before shapes were added.
    const shape = options.shape === 'hec' ? 0 : options.shape === 'panther' ? 0.35 : roll;
    const batch = shape < 0.3 ? Math.min(8, options.records - written) : 1;
    const parts: string[] = [];
    for (let i = 0; i < batch; i++) {
      atMs += options.stepMs ?? 12;
      const record = random() < auditShare ? auditRecord(random, atMs, options) : networkRecord(random, atMs, options);
      if (shape < 0.3) {
        parts.push(JSON.stringify({ time: atMs / 1000, event: record, fields: { recorded: new Date(atMs + 900).toISOString() } }));
      } else if (shape < 0.4) {
        const logType = 'action' in record ? 'Tailscale.Audit' : 'Tailscale.Network';
        const stamp = new Date(atMs).toISOString().replace('T', ' ').replace('Z', '000000');
        parts.push(JSON.stringify({ event: record, fields: { recorded: stamp }, time: stamp, p_log_type: logType, p_event_time: stamp }));
      } else {
        parts.push(JSON.stringify(record));
      }
    }
    written += batch;
    yield `${parts.join('')}\n`;
  }
}
