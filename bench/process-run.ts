// A whole process, timed from outside (start-up included): what the peer and whole-replay benches measure.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessRun { wallMs: number; cpuMs: number; maxRssMb: number; stdout: string }

/** Wall time, CPU time (user + system) and peak RSS of a whole process (start-up included), through /usr/bin/time. */
export function timed(command: string, args: string[], cwd: string): ProcessRun {
  const rssFile = join(cwd, 'rss');
  const started = process.hrtime.bigint();
  const child = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, command, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${child.status}):\n${child.stderr}`);
  const [rssKb, user, system] = (readFileSync(rssFile, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number) as [number, number, number];
  return { wallMs, cpuMs: (user + system) * 1000, maxRssMb: rssKb / 1024, stdout: child.stdout };
}

export const median = (values: number[]): number => {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
