// The sources stage's public surface: what `tailwatch run` needs to bring records in and acknowledge them.
export { createSources, sourceNames, type SourceContext } from './create-sources.ts';
export { CheckpointStore } from './checkpoints.ts';
export { HecSource, HEC_DEFAULTS, type HecSourceOptions, type HecLimits } from './hec.ts';
export { FileSource, type FileSourceOptions } from './file-source.ts';
export { S3Source, type S3SourceOptions } from './s3-source.ts';
export { StdinSource, type StdinSourceOptions } from './stdin-source.ts';
export { TailscaleWebhookSource, type TailscaleWebhookOptions } from './tailscale-webhook.ts';
export { TailscaleApiSource, type TailscaleApiSourceOptions } from './tailscale-api-source.ts';
export { SaturatedError } from './types.ts';
export type { Batch, BatchHandler, BatchOutcome, Checkpoint, Source, SourceHealth, SourceKind, SourceLag } from './types.ts';
