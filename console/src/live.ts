// Live updates: one EventSource on /api/stream while a page that wants them is shown.
let source: EventSource | undefined;

export function liveUpdates(onEvent: (type: 'alert' | 'triage', data: Record<string, unknown>) => void): void {
  stopLiveUpdates();
  source = new EventSource('/api/stream');
  for (const type of ['alert', 'triage'] as const) {
    source.addEventListener(type, (event) => onEvent(type, JSON.parse((event as MessageEvent<string>).data) as Record<string, unknown>));
  }
}

export function stopLiveUpdates(): void {
  source?.close();
  source = undefined;
}
