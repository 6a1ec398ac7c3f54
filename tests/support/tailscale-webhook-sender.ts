// What Tailscale's webhook sender does, for tests: events shaped as its docs show, signed `t=<unix>,v1=<hex>` over
// `<t>.<body>` with the endpoint secret (computed here with node:crypto directly, not with the product's code).
import { createHmac } from 'node:crypto';

export type WebhookEventJson = Record<string, unknown>;

export function webhookEvent(type: string, timestamp: string, data: Record<string, unknown> = {}, tailnet = 'example.com'): WebhookEventJson {
  return { timestamp, version: 1, type, tailnet, message: `${type} event`, data };
}

export function nodeNeedsApproval(timestamp: string, deviceName: string): WebhookEventJson {
  return webhookEvent('nodeNeedsApproval', timestamp, {
    nodeID: `n${deviceName}CNTRL`, deviceName, managedBy: 'alice@example.com', actor: 'alice@example.com',
    url: `https://login.tailscale.com/admin/machines/100.64.0.1`,
  });
}

export function signatureHeader(secret: string, body: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

export interface SignedPost {
  body: string;
  headers: Record<string, string>;
}

export function signedPost(secret: string, events: unknown, timestampSeconds?: number): SignedPost {
  const body = typeof events === 'string' ? events : JSON.stringify(events);
  return { body, headers: { 'Content-Type': 'application/json', 'Tailscale-Webhook-Signature': signatureHeader(secret, body, timestampSeconds) } };
}

export async function postWebhook(url: string, post: SignedPost): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: post.headers, body: post.body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}
