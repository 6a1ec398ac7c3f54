#!/usr/bin/env node
// The tailwatch CLI: a thin yargs shell; each command lives in its own file and lazy-loads its work.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { TailwatchError } from '../errors.ts';
import { onClosedPipe } from './closed-pipe.ts';
import { commands } from './commands.ts';
import { STDIN_PATH } from '../pipeline/stdin-path.ts';

// yargs drops a lone `-` positional (yargs/yargs#1312); pass stdin on under its device name instead.
const args = hideBin(process.argv).map((arg) => (arg === '-' ? STDIN_PATH : arg));
onClosedPipe([process.stdout, process.stderr], args[0] === 'run' ? 'ignore' : 'exit');

try {
  await yargs(args)
    .scriptName('tailwatch')
    .command(commands)
    .demandCommand(1, 'Name a command (see --help).')
    .strict()
    .help()
    .fail((message, error, parser) => {
      if (error) throw error;
      parser.showHelp('error');
      throw new TailwatchError('USAGE', message);
    })
    .parseAsync();
} catch (error) {
  const code = error instanceof TailwatchError ? error.code : 'INTERNAL';
  process.stderr.write(`tailwatch: ${error instanceof Error ? error.message : String(error)} [${code}]\n`);
  if (code === 'INTERNAL' && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = code === 'USAGE' ? 2 : 1;
}
