// A real `tailwatch run` child process: its structured log lines, the address it listens on, and ways to end it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { CLI } from '../../support/run-cli.ts';
import { waitFor } from '../../support/wait-for.ts';

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TailwatchProcess {
  child: ChildProcess;
  /** Every JSON log line written to stderr so far. */
  logs: LogLine[];
  /** stderr lines that were not JSON (warnings, crashes). */
  otherStderr: string[];
  stdout: () => string;
  /** `http://host:port` of the first HTTP server (HEC and health endpoints). */
  baseUrl: string;
  exited: Promise<Exit>;
  /** SIGTERM, then wait for the exit. */
  stop: () => Promise<Exit>;
  /** SIGKILL, then wait for the exit. */
  kill: () => Promise<Exit>;
  /** Resolves once a log line with this message (and matching fields) has been written. */
  waitForLog: (msg: string, match?: (line: LogLine) => boolean, timeoutMs?: number) => Promise<LogLine>;
}

export interface StartOptions {
  configPath: string;
  env: Record<string, string>;
  /** Milliseconds to wait for "tailwatch is running". */
  startTimeoutMs?: number;
  /** Called as each log line arrives, before anything else sees it (to act at an exact point of start-up). */
  onLog?: (line: LogLine, child: ChildProcess) => void;
}

export async function startTailwatch(options: StartOptions): Promise<TailwatchProcess> {
  const child = spawn(process.execPath, [CLI, 'run', '--config', options.configPath], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const otherStderr: string[] = [];
  let stdout = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      let parsed: LogLine;
      try {
        parsed = JSON.parse(line) as LogLine;
      } catch {
        otherStderr.push(line);
        continue;
      }
      logs.push(parsed);
      options.onLog?.(parsed, child);
    }
  });
  // 'close', not 'exit': by then every line the process wrote to stderr has been read.
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let exit: Exit | undefined;
  void exited.then((value) => (exit = value));

  const waitForLog = async (msg: string, match: (line: LogLine) => boolean = () => true, timeoutMs = 20_000) => {
    let found: LogLine | undefined;
    await waitFor(() => {
      found = logs.find((line) => line.msg === msg && match(line));
      if (found === undefined && exit !== undefined) {
        throw new Error(`tailwatch exited (${JSON.stringify(exit)}) before logging "${msg}":\n${recentOutput(logs, otherStderr)}`);
      }
      return found !== undefined;
    }, `log "${msg}"`, timeoutMs);
    return found as LogLine;
  };

  await waitForLog('tailwatch is running', undefined, options.startTimeoutMs ?? 30_000);
  const listening = logs.find((line) => line.msg === 'listening');
  const end = (signal: NodeJS.Signals) => {
    if (exit === undefined) child.kill(signal);
    return exited;
  };
  return {
    child,
    logs,
    otherStderr,
    stdout: () => stdout,
    baseUrl: `http://${String(listening?.address)}`,
    exited,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    waitForLog,
  };
}

export function recentOutput(logs: readonly LogLine[], other: readonly string[]): string {
  return [...logs.slice(-30).map((line) => JSON.stringify(line)), ...other.slice(-30)].join('\n');
}
