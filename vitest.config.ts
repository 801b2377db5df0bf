import { defineConfig } from 'vitest/config';

// Test levels by file name: *.unit.test.ts (pure), *.int.test.ts (embedded parts, real sockets),
// *.e2e.test.ts (the whole embedded system). Service-backed suites (*.pg.test.ts, *.kafka.test.ts)
// need PostgreSQL/Redis/Kafka (browser tests: Chromium) and run from .ci/run with their own config.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/*.pg.test.ts', '**/*.interop.test.ts', '**/*.kafka.test.ts', '**/*.redis.test.ts', '**/*.distributed.test.ts', '**/*.faults.test.ts', '**/*.browser.test.ts', 'node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
