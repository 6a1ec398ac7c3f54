// The console's calls to its JSON API: same-origin, the session cookie, and the CSRF token on every POST.
let csrfToken: string | null = null;

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export async function getJson<T>(path: string, query?: URLSearchParams): Promise<T> {
  const url = query === undefined || query.size === 0 ? path : `${path}?${query.toString()}`;
  return answer<T>(await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }));
}

export async function postJson<T>(path: string, body: unknown, query?: URLSearchParams): Promise<T> {
  const url = query === undefined || query.size === 0 ? path : `${path}?${query.toString()}`;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
  return answer<T>(await fetch(url, { method: 'POST', credentials: 'same-origin', headers, body: JSON.stringify(body) }));
}

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as { text?: string };
  if (!response.ok) {
    if (response.status === 401 && !location.hash.startsWith('#/login')) location.hash = '#/login';
    throw new ApiError(response.status, body.text ?? `${response.status} ${response.statusText}`);
  }
  return body as T;
}
