// Reads the evaluator's HTTP endpoints the way Prometheus and a load balancer would (with the workspace's http.token).
import { HTTP_TOKEN } from './workspace.ts';

const BEARER = { headers: { Authorization: `Bearer ${HTTP_TOKEN}` } };

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, BEARER);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function scrape(baseUrl: string): Promise<{ text: string; samples: Sample[] }> {
  const text = await (await fetch(`${baseUrl}/metrics`, BEARER)).text();
  return { text, samples: parseSamples(text) };
}

/** Prometheus text exposition → samples (label values here never hold quotes or commas). */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) labels[pair.slice(0, eq)] = pair.slice(eq + 2, -1);
    }
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples with this name whose labels include `labels`; undefined when there is none. */
export function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.length === 0 ? undefined : found.reduce((sum, s) => sum + s.value, 0);
}
