const DAY_MS = 86_400_000;

/** 'HH:MM:SS' (UTC) as milliseconds after midnight; throws on anything else, so a bad config fails at start. */
export function parseDailyTime(text: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const [hours, minutes, seconds] = match ? match.slice(1).map(Number) : [];
  if (hours === undefined || minutes === undefined || seconds === undefined || hours > 23 || minutes > 59 || seconds > 59) {
    throw new Error(`invalid daily time '${text}', expected HH:MM:SS`);
  }
  return ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

/** The latest daily reset time at or before `now` (epoch milliseconds). */
export function lastResetBoundary(timeOfDayMs: number, now: number): number {
  const today = Math.floor(now / DAY_MS) * DAY_MS + timeOfDayMs;
  return today <= now ? today : today - DAY_MS;
}
