// Who a console request is: a session cookie (browsers) or `Authorization: Bearer <console password>` (scripts).
// State changes from a cookie need the session's CSRF token in X-CSRF-Token and, when the browser sends one, an
// Origin equal to the console's own; the cookie itself is SameSite=Strict. The HEC tokens are never accepted.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../server/http-server.ts';
import { secretsEqual, type Session, type Sessions } from './sessions.ts';

export const SESSION_COOKIE = 'tailwatch_console';

export interface Caller {
  user: string;
  /** The session (absent for a Bearer caller, who has no cookie to be ridden by another site). */
  session?: Session;
}

/** Wrong passwords (logins and Bearer calls together) allowed per minute before every attempt is answered 429. */
export const MAX_FAILURES_PER_MINUTE = 20;

export class ConsoleAuth {
  readonly sessions: Sessions;
  readonly #password: string;
  readonly #now: () => number;
  #failures: number[] = [];

  constructor(password: string, sessions: Sessions, now: () => number = Date.now) {
    this.#password = password;
    this.sessions = sessions;
    this.#now = now;
  }

  /** Seconds until password attempts are taken again, or 0 (guessing a password from the environment is slowed). */
  get throttledForSeconds(): number {
    const nowMs = this.#now();
    this.#failures = this.#failures.filter((at) => at > nowMs - 60_000);
    const oldest = this.#failures[0];
    return this.#failures.length < MAX_FAILURES_PER_MINUTE || oldest === undefined ? 0 : Math.ceil((oldest + 60_000 - nowMs) / 1000);
  }

  passwordMatches(given: string): boolean {
    if (secretsEqual(given, this.#password)) return true;
    this.#failures.push(this.#now());
    return false;
  }

  caller(req: IncomingMessage): Caller | undefined {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return this.throttledForSeconds === 0 && this.passwordMatches(bearer.trim()) ? { user: apiUser(req) } : undefined;
    const session = this.sessions.find(cookieValue(req.headers.cookie, SESSION_COOKIE));
    return session === undefined ? undefined : { user: session.user, session };
  }

  /** The caller, or undefined after answering 401/403 (a state change without its CSRF token, or from another origin). */
  require(req: IncomingMessage, res: ServerResponse, changesState: boolean): Caller | undefined {
    const caller = this.caller(req);
    if (caller === undefined) {
      sendJson(res, 401, { text: 'log in to the console first' });
      return undefined;
    }
    if (changesState && caller.session !== undefined && !sameOriginWithToken(req, caller.session)) {
      sendJson(res, 403, { text: 'cross-site request refused (missing or wrong CSRF token, or another origin)' });
      return undefined;
    }
    return caller;
  }

  sessionCookie(req: IncomingMessage, session: Session | undefined): string {
    const value = session === undefined ? '' : session.id;
    const maxAge = session === undefined ? 0 : this.sessions.lifetimeSeconds;
    const secure = behindTls(req) ? '; Secure' : '';
    return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
  }
}

/** A browser's Origin (when sent) must name the host the request was sent to. */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function sameOriginWithToken(req: IncomingMessage, session: Session): boolean {
  const token = req.headers['x-csrf-token'];
  return originAllowed(req) && typeof token === 'string' && secretsEqual(token, session.csrfToken);
}

/** TLS here, or at a proxy in front that says so. */
function behindTls(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
}

/** A script names who it acts for in X-Tailwatch-User (shown in the triage timeline). */
function apiUser(req: IncomingMessage): string {
  const named = req.headers['x-tailwatch-user'];
  return typeof named === 'string' && named.trim() !== '' ? named.trim().slice(0, 100) : 'api';
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
