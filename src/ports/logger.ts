/**
 * What the services log through: a line is an object of fields and a message. pino implements it
 * in both runtimes (adapters/observability/pino-logger.ts); tests may pass any logger of this shape.
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** For a line whose fields cost something to build: build them only when it is written. */
  isLevelEnabled(level: string): boolean;
}

export interface LogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}
