#!/usr/bin/env node
// The tailwatch command. Plain JavaScript that any Node can parse, so an old Node gets a clear message instead of a
// syntax or loader error. It turns V8's compile cache on (in the OS temp dir, or NODE_COMPILE_CACHE;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off) before the CLI loads, which halves start-up. Inside this repository it
// runs the TypeScript sources; installed as a package (no sources, or under node_modules, where Node does not strip
// types) it runs the compiled dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

// Type stripping is on by default from these versions (the user's rules and alerts.config.ts are .ts files).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18) || major === 23) {
  process.stderr.write(
    `tailwatch: Node.js ${process.versions.node} is too old: tailwatch needs Node.js 22.18 or later (24 recommended), ` +
      `which runs TypeScript rules directly. The node first on your PATH is ${process.execPath}; ` +
      'install Node.js 24 (or add the "node" package as a devDependency, so npm scripts and npx put it first).\n',
  );
  process.exit(1);
}

const sources = new URL('../engine/cli/main.ts', import.meta.url);
const fromSources = existsSync(sources) && !fileURLToPath(sources).split(/[\\/]/).includes('node_modules');
const { enableCompileCache } = await import('node:module');
const { directory } = enableCompileCache();
// Worker threads (where rule code runs) find the cache through the environment, not through this call.
if (directory !== undefined) process.env.NODE_COMPILE_CACHE ??= directory;
await import(fromSources ? sources.href : new URL('../dist/engine/cli/main.js', import.meta.url).href);
