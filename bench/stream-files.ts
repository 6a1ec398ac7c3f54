// Writing generated streams to files, and their flat form (one bare record per line) that the floors parse.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const line of lines) if (!out.write(line)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** One record per line: HEC/Panther wrappers removed, so a floor parses exactly the records replay evaluates. */
export function* flatten(lines: Iterable<string>): Generator<string> {
  for (const line of lines) {
    for (const part of line.trimEnd().replaceAll('}{"time"', '}\n{"time"').split('\n')) {
      const value = JSON.parse(part) as { event?: unknown };
      yield `${JSON.stringify(value.event ?? value)}\n`;
    }
  }
}
