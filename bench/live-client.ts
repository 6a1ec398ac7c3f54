// The live bench's load generator (its own process): several keep-alive connections post HEC bodies of ~100 flow
// records stamped with the current time; every Nth body carries a Magic-DNS-disabled audit event whose target id
// holds the send time, so the webhook receiver can measure ingest-to-delivery latency. Prints a JSON summary.
import { Agent, request } from 'node:http';
import { gzipSync } from 'node:zlib';

export interface ClientOptions {
  url: string;
  token: string;
  seconds: number;
  connections: number;
  recordsPerBody: number;
  /** One latency marker every this many bodies. */
  markerEvery: number;
  gzip: boolean;
}

export interface ClientSummary {
  bodies: number;
  records: number;
  markers: number;
  busy: number;
  failed: number;
  seconds: number;
  /** Response time of the accepted (200) bodies, after the first second (JIT warm-up, connections opening). */
  acceptedMs: { p50: number; p99: number; max: number };
}

const NODES = 400;
const WARM_UP_MS = 1000;
const TEMPLATES = 1000;
const ip = (n: number) => `100.64.${(n >> 8) & 255}.${n & 255}`;
const node = (n: number) => ({ nodeId: `n${n}CNTRL`, name: `node-${n}.example.ts.net`, addresses: [ip(n)], tags: ['tag:server'] });

/** Flow records as JSON text with `@S`/`@E` where the start and end times go. */
export function templates(): string[] {
  const out: string[] = [];
  for (let i = 0; i < TEMPLATES; i++) {
    const src = i % NODES;
    const peers = [(src * 7 + 1) % NODES, (src * 13 + 5) % NODES];
    const virtualTraffic = peers.flatMap((peer, j) => [
      { proto: 6, src: `${ip(src)}:${40000 + ((i * 31 + j) % 20000)}`, dst: `${ip(peer)}:${j === 0 ? 443 : 5432}`, txPkts: 40 + (i % 50), txBytes: 2_000 + ((i * 977) % 20_000), rxPkts: 30, rxBytes: 9_000 },
      { proto: 17, src: `${ip(src)}:${50000 + j}`, dst: `${ip(peer)}:53`, txPkts: 2, txBytes: 160 },
    ]);
    const record = { nodeId: `n${src}CNTRL`, start: '@S', end: '@E', srcNode: node(src), dstNodes: peers.map(node), virtualTraffic,
      physicalTraffic: [{ src: `${ip(src)}:0`, dst: `203.0.113.${src % 250}:41641`, txPkts: 20, txBytes: 9000, rxPkts: 18, rxBytes: 7600 }] };
    out.push(JSON.stringify(record));
  }
  return out;
}

function marker(sequence: number, sentMs: number): string {
  const event = {
    eventTime: new Date(sentMs).toISOString(),
    eventGroupID: `bench${sequence}`,
    origin: 'CONFIG_API',
    actor: { id: 'kBenchCNTRL', type: 'OAUTH_CLIENT', loginName: 'bench', displayName: 'bench' },
    target: { id: `lat-${sequence}-${sentMs}`, name: 'bench', type: 'TAILNET', property: 'MAGIC_DNS' },
    action: 'DISABLE',
  };
  return JSON.stringify({ time: sentMs / 1000, event });
}

export async function runClient(options: ClientOptions): Promise<ClientSummary> {
  const records = templates();
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const summary: ClientSummary = { bodies: 0, records: 0, markers: 0, busy: 0, failed: 0, seconds: 0, acceptedMs: { p50: 0, p99: 0, max: 0 } };
  const acceptedMs: number[] = [];
  const startMs = Date.now();
  const endMs = startMs + options.seconds * 1000;
  let next = 0;
  let sequence = 0;

  const body = (): { payload: Buffer; records: number } => {
    const nowMs = Date.now();
    const time = String(nowMs / 1000);
    const end = new Date(nowMs).toISOString();
    const start = new Date(nowMs - 5000).toISOString();
    let text = '';
    for (let i = 0; i < options.recordsPerBody; i++) {
      text += `{"time":${time},"event":${(records[next] ?? '').replace('@S', start).replace('@E', end)}}`;
      next = (next + 1) % records.length;
    }
    let count = options.recordsPerBody;
    if (summary.bodies % options.markerEvery === 0) {
      text += marker(sequence++, nowMs);
      summary.markers += 1;
      count += 1;
    }
    return { payload: options.gzip ? gzipSync(text) : Buffer.from(text), records: count };
  };

  const connection = async () => {
    // A body answered 503 is sent again (as a sender would), so the load client builds each body once.
    let retry: { payload: Buffer; records: number } | undefined;
    while (Date.now() < endMs) {
      const { payload, records: count } = retry ?? body();
      retry = undefined;
      summary.bodies += 1;
      const sentMs = performance.now();
      const status = await post(options, agent, payload);
      if (status === 200) {
        summary.records += count;
        if (Date.now() - startMs > WARM_UP_MS) acceptedMs.push(performance.now() - sentMs);
      } else if (status === 503) {
        summary.busy += 1;
        retry = { payload, records: count };
        await new Promise((resolve) => setTimeout(resolve, 50));
      } else summary.failed += 1;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, connection));
  summary.seconds = (Date.now() - startMs) / 1000;
  acceptedMs.sort((a, b) => a - b);
  const at = (p: number) => Math.round(acceptedMs[Math.min(acceptedMs.length - 1, Math.floor(p * acceptedMs.length))] ?? Number.NaN);
  summary.acceptedMs = { p50: at(0.5), p99: at(0.99), max: Math.round(acceptedMs.at(-1) ?? Number.NaN) };
  agent.destroy();
  return summary;
}

function post(options: ClientOptions, agent: Agent, payload: Buffer): Promise<number> {
  const headers: Record<string, string> = { authorization: `Splunk ${options.token}`, 'content-length': String(payload.length) };
  if (options.gzip) headers['content-encoding'] = 'gzip';
  return new Promise((resolve) => {
    const req = request(options.url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(payload);
  });
}

if (import.meta.main) {
  const options = JSON.parse(process.argv[2] ?? '{}') as ClientOptions;
  console.log(JSON.stringify(await runClient(options)));
}
