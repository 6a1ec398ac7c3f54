// A reader that closes early (`tailwatch route … | head`) is not an error: the command ends quietly, status 0,
// as Unix tools do. `run` keeps going instead: its stdout destination sees the failed write and retries.

export function onClosedPipe(streams: readonly NodeJS.WriteStream[], action: 'exit' | 'ignore'): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      // The entry point's own exit: nothing is left to say, and nobody is left to read it.
      if (action === 'exit') process.exit(0);
    });
  }
}
