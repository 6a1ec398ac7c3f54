// Metrics and logs: a private Prometheus registry with typed counters, and JSON-lines logging without secrets.
export { Metrics, type MetricsOptions } from './metrics.ts';
export { createLogger, isLogLevel, LOG_LEVELS, type Logger, type LogLevel, type LogFields, type LoggerOptions } from './logger.ts';
