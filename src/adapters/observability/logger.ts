import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Where a secret could sit in a logged object: headers (a logged request, or an error carrying
 * one), tokens under their usual names, passwords. pino's `*` matches one level.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'authorization',
  '*.authorization',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'accessToken',
  '*.accessToken',
  'password',
  '*.password',
];

/**
 * Structured JSON logs. Lines about an order carry `orderId` (use `logger.child({ orderId })`).
 * Authorization headers and tokens are redacted so no secret reaches a log.
 */
export function createLogger(options: { level: string; name?: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.name ?? 'oms' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination,
  );
}
