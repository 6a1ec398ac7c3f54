// The console's built front end (console/ bundled by Vite into engine/console/static, committed), served from memory
// with a strict Content-Security-Policy: no CDN, nothing fetched from elsewhere at run time.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ConfigError } from '../errors.ts';
import { extname, join, relative } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Route } from '../server/http-server.ts';

export const STATIC_DIR = join(import.meta.dirname, 'static');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** GET / (the page) and GET /assets/<file> for every built file. */
export function staticRoutes(dir: string = STATIC_DIR): Route[] {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new ConfigError(`the console's built files are missing from ${dir}: run npm run build:console, or set console: { enabled: false }`);
  }
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return files.map((entry) => {
    const file = join(entry.parentPath, entry.name);
    const path = relative(dir, file).split('\\').join('/');
    const body = readFileSync(file);
    // Built asset names carry a content hash, so they may be cached for good; the page itself never.
    const cache = path === 'index.html' ? 'no-store' : 'public, max-age=31536000, immutable';
    return {
      method: 'GET' as const,
      path: path === 'index.html' ? '/' : `/${path}`,
      name: 'console',
      handler: (_req, res: ServerResponse) => {
        res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length, 'Cache-Control': cache });
        res.end(body);
      },
    };
  });
}
