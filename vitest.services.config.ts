import { defineConfig } from 'vitest/config';

// Suites against real services started outside the tests: PostgreSQL and Redis
// (scripts/ensure-test-services.sh), the Kafka test broker (scripts/start-kafka-mockbroker.sh),
// QuickFIX peers (scripts/build-quickfix-examples.sh), distributed mode's seven processes, and fault
// drills that need root (*.faults.test.ts: a tmpfs of their own to fill). The web blotter's tests in
// Debian's chromium have a run of their own (vitest.browser.config.ts).
export default defineConfig({
  test: {
    include: [
      'src/**/*.pg.test.ts',
      'src/**/*.redis.test.ts',
      'src/**/*.kafka.test.ts',
      'test/**/*.pg.test.ts',
      'test/**/*.interop.test.ts',
      'test/**/*.distributed.test.ts',
      'test/**/*.faults.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
