// `replay --tailnet-map 'logs/acme/**=acme'`: which tailnet an input's events belong to, by its path (as replay
// names inputs: relative to the working directory when inside it). The first matching pattern wins.
import { matchesGlob } from 'node:path';
import { ConfigError } from '../errors.ts';

const TAILNET = /^[A-Za-z0-9._@-]+$/;

/** Returns the tailnet of an input path, or undefined when no pattern matches it. */
export function compileTailnetMap(entries: readonly string[]): (path: string) => string | undefined {
  const rules = entries.map((entry) => {
    const at = entry.lastIndexOf('=');
    const glob = entry.slice(0, at);
    const tailnet = entry.slice(at + 1);
    if (at <= 0 || !TAILNET.test(tailnet)) {
      throw new ConfigError(`--tailnet-map ${entry}: expected GLOB=TAILNET (a tailnet name: letters, digits, . _ @ - only)`);
    }
    return { glob, tailnet };
  });
  return (path) => rules.find(({ glob }) => matchesGlob(path, glob))?.tailnet;
}
