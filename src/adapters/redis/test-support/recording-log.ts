import type { RedisLog } from '../redis-errors.js';

/** Keeps log lines so a test can count them (the adapters log once per outage, not per call). */
export class RecordingLog implements RedisLog {
  readonly lines: { level: 'warn' | 'info'; message: string }[] = [];

  warn(_object: object, message: string): void {
    this.lines.push({ level: 'warn', message });
  }

  info(_object: object, message: string): void {
    this.lines.push({ level: 'info', message });
  }

  count(level: 'warn' | 'info'): number {
    return this.lines.filter((line) => line.level === level).length;
  }
}
