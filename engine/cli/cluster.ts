// `tailwatch cluster status`: the partition map of a cluster (who holds which lease, snapshots, delivery backlog).
import type { CommandModule } from 'yargs';

interface ClusterArgs {
  action: 'status';
  format: 'text' | 'json';
  config: string | undefined;
}

export const clusterCommand: CommandModule<object, ClusterArgs> = {
  command: 'cluster <action>',
  describe: 'Cluster mode (NATS JetStream): `status` prints the partition map',
  builder: (yargs) =>
    yargs
      .positional('action', { choices: ['status'] as const, demandOption: true })
      .option('format', { choices: ['text', 'json'] as const, default: 'text' as const })
      .option('config', { type: 'string', describe: 'config file with a `cluster` key (default ./alerts.config.ts)' }),
  handler: async (argv) => {
    const { runClusterStatus } = await import('./cluster-command.ts');
    await runClusterStatus(argv);
  },
};
