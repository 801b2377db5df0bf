import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Lines about an order carry `orderId` (use `logger.child({ orderId })`).
 * Authorization headers and tokens are redacted so no secret reaches a log.
 */
export function createLogger(options: { level: string; name?: string }): Logger {
  return pino({
    level: options.level,
    base: { service: options.name ?? 'oms' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', '*.password', '*.token'], censor: '[redacted]' },
  });
}
