import { defineConfig } from 'vitest/config';

// Suites against real services started outside the tests (PostgreSQL; later Redis and Kafka).
// .ci/run makes sure the services run (scripts/ensure-test-services.sh) before calling this.
export default defineConfig({
  test: {
    include: ['src/**/*.pg.test.ts', 'src/**/*.redis.test.ts', 'src/**/*.kafka.test.ts', 'test/**/*.pg.test.ts', 'test/**/*.interop.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
