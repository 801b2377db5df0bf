import { createRequire } from 'node:module';

/** The one kafkajs release whose request queue this module mends (kafkajs has had no release since). */
export const MENDED_KAFKAJS_VERSION = '2.2.4';

/** The members of kafkajs' RequestQueue (src/network/requestQueue/index.js) the mend reads and sets. */
interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs' own interval between checks of a queue with requests waiting and no throttle. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

let mended = false;

/**
 * kafkajs 2.2.4 re-arms a timer after every check of a connection's request queue, even when
 * nothing waits: with no throttle the delay is negative, so each connection runs a 1 ms timer
 * loop for as long as it is open (kafkajs issues #1556 and #1704; fix proposed in #1667, never
 * released). Every process of distributed mode holds a dozen or more broker connections, and
 * the seven processes idled at about half a core on this 2-core machine, mostly in that loop.
 *
 * The mend schedules a check only while requests wait: those held back by a throttle are checked
 * when it lifts; those held back by the in-flight limit are sent when an in-flight one completes
 * (kafkajs checks the queue then), and by the same 10 ms timer as before. Applied once, before
 * the first client; refused for any other kafkajs version, whose code it was not written for.
 */
export function mendKafkajsIdleTimers(): void {
  if (mended) return;
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== MENDED_KAFKAJS_VERSION) {
    throw new Error(
      `kafkajs ${version} installed; src/adapters/bus/kafkajs-idle-timers.ts mends ${MENDED_KAFKAJS_VERSION} only: check whether the new release still needs it`,
    );
  }
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueueInternals };
  RequestQueue.prototype.scheduleCheckPendingRequests = function (this: RequestQueueInternals): void {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const throttledFor = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledFor > 0 ? throttledFor : CHECK_PENDING_REQUESTS_INTERVAL_MS,
    );
  };
  mended = true;
}
