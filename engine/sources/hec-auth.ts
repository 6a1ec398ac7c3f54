// HEC token check: `Splunk <t>`, `Bearer <t>` or HTTP Basic with the token as password; constant-time compare.
import { createHash, timingSafeEqual } from 'node:crypto';

export type AuthResult = 'ok' | 'missing' | 'malformed' | 'invalid';

export class TokenSet {
  private readonly hashes: readonly Buffer[];

  constructor(tokens: readonly string[]) {
    this.hashes = tokens.map(sha256);
  }

  get size(): number {
    return this.hashes.length;
  }

  /** Checks an Authorization header against every token (no early exit, so timing says nothing). */
  check(authorization: string | undefined): AuthResult {
    if (authorization === undefined || authorization === '') return 'missing';
    const token = tokenOf(authorization);
    if (token === undefined) return 'malformed';
    const presented = sha256(token);
    let matched = false;
    for (const hash of this.hashes) matched = timingSafeEqual(hash, presented) || matched;
    return matched ? 'ok' : 'invalid';
  }
}

function tokenOf(authorization: string): string | undefined {
  const space = authorization.indexOf(' ');
  if (space === -1) return undefined;
  const scheme = authorization.slice(0, space).toLowerCase();
  const credentials = authorization.slice(space + 1).trim();
  if (credentials === '') return undefined;
  if (scheme === 'splunk' || scheme === 'bearer') return credentials;
  if (scheme !== 'basic') return undefined;
  // Basic: base64("user:token"); the user name is ignored (Tailscale sends its own).
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon === -1 ? '' : decoded.slice(colon + 1);
  return password === '' ? undefined : password;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
