// Every CLI command, one module each; add a command by adding its module here.
import type { CommandModule } from 'yargs';
import { replayCommand } from './replay.ts';
import { runCommand } from './run.ts';
import { quarantineCommand } from './quarantine.ts';
import { testCommand } from './test.ts';
import { alertsCommand } from './alerts.ts';
import { routeCommand } from './route.ts';
import { sendTestCommand } from './send-test.ts';
import { docsCommand } from './docs.ts';
import { clusterCommand } from './cluster.ts';
import { initCommand } from './init.ts';
import { inventoryCommand } from './inventory.ts';
import { signalsCommand } from './signals.ts';
import { suppressCommand, suppressionsCommand } from './suppress.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command has its own argv shape
export const commands: CommandModule<any, any>[] = [testCommand, replayCommand, runCommand, quarantineCommand, routeCommand, alertsCommand, signalsCommand, sendTestCommand, docsCommand, suppressCommand, suppressionsCommand, initCommand, inventoryCommand, clusterCommand];
