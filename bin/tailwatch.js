#!/usr/bin/env node
// The tailwatch command. Plain JavaScript, so Node does not type-strip it: it turns V8's compile cache on (in the OS
// temp dir, or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off) before any TypeScript module loads,
// which then load compiled and stripped from the cache. That halves start-up.
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('../engine/cli/main.ts');
