import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type LogArguments = Parameters<FastifyBaseLogger['info']>;

/**
 * The logger each request gets (bound to its `reqId`), made into a pino child only when the
 * request writes a line. pino builds a child's bindings when the child is made, and with
 * redaction paths it runs the redaction over them: about 1.5% of the main thread and 2.5 KB of
 * garbage per request in the benchmark's profiles, for a logger most requests never use (the
 * request line is at debug, failures are rare). A class, so that making one per request costs an
 * allocation: an object literal with accessors took longer to make than the pino child.
 */
class LazyRequestLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.pinoChild().level = level;
  }

  fatal(...args: LogArguments): void {
    this.pinoChild().fatal(...args);
  }

  error(...args: LogArguments): void {
    this.pinoChild().error(...args);
  }

  warn(...args: LogArguments): void {
    this.pinoChild().warn(...args);
  }

  info(...args: LogArguments): void {
    this.pinoChild().info(...args);
  }

  debug(...args: LogArguments): void {
    this.pinoChild().debug(...args);
  }

  trace(...args: LogArguments): void {
    this.pinoChild().trace(...args);
  }

  silent(...args: LogArguments): void {
    this.pinoChild().silent(...args);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.pinoChild().child(bindings, options);
  }

  /** The pino child, made on first use. */
  private pinoChild(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }
}

/** Fastify's `childLoggerFactory` (see LazyRequestLogger). */
export function lazyRequestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyRequestLogger(parent, bindings, options);
}
