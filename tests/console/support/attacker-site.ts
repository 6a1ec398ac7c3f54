// Another site's page (served on 127.0.0.1, reached under a different host name) that submits a form to the console
// as soon as it loads: what a cross-site request forgery looks like.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AttackerSite {
  port: number;
  close: () => Promise<void>;
}

export async function startAttackerSite(target: string, fields: Record<string, string>): Promise<AttackerSite> {
  const inputs = Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`).join('');
  const page = `<!doctype html><title>win a prize</title><form id="f" method="POST" action="${target}" enctype="text/plain">${inputs}</form>
    <script>document.getElementById('f').submit()</script>`;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
