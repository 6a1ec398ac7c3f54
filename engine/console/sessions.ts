// Console logins: random session ids (the cookie) each with its own CSRF token, held in memory (a restart logs out).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Session {
  id: string;
  user: string;
  csrfToken: string;
  expiresAtMs: number;
}

/** Bounds memory when something logs in in a loop: the oldest session is dropped first. */
const MAX_SESSIONS = 1_000;

export class Sessions {
  readonly #byId = new Map<string, Session>();
  readonly #lifetimeMs: number;

  constructor(lifetimeHours: number) {
    this.#lifetimeMs = lifetimeHours * 3_600_000;
  }

  create(user: string, nowMs = Date.now()): Session {
    if (this.#byId.size >= MAX_SESSIONS) this.#byId.delete(this.#byId.keys().next().value as string);
    const session = { id: token(), user, csrfToken: token(), expiresAtMs: nowMs + this.#lifetimeMs };
    this.#byId.set(session.id, session);
    return session;
  }

  find(id: string | undefined, nowMs = Date.now()): Session | undefined {
    if (id === undefined) return undefined;
    const session = this.#byId.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAtMs > nowMs) return session;
    this.#byId.delete(id);
    return undefined;
  }

  end(id: string): void {
    this.#byId.delete(id);
  }

  get lifetimeSeconds(): number {
    return Math.floor(this.#lifetimeMs / 1000);
  }
}

function token(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
export function secretsEqual(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
