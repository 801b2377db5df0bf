import { defineConfig } from 'vitest/config';

// Test levels by file name: *.unit.test.ts (pure), *.int.test.ts (embedded parts, real sockets),
// *.e2e.test.ts (the whole embedded system). Service-backed suites (*.pg.test.ts, *.kafka.test.ts)
// need PostgreSQL/Redis/Kafka (browser tests: Chromium) and run from .ci/run with their own config.
// V8 in Node 22 and 24 can abort a process that creates and frees WebAssembly code on several
// threads ("Check failed: jit_page.has_value()", in its JIT-page tracking): the test files open and
// close many PGlite databases, each on a thread of its own. Seen once on Node 24.22.3 in
// query-model.int.test.ts; other projects running PGlite under vitest turn the tracking's memory
// protection keys off in the test workers, as here. Node 20's V8 has no such flag and refuses it.
const nodeMajor = Number(process.versions.node.split('.')[0]);

export default defineConfig({
  test: {
    execArgv: nodeMajor >= 22 ? ['--no-memory-protection-keys'] : [],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [
      '**/*.pg.test.ts',
      '**/*.interop.test.ts',
      '**/*.kafka.test.ts',
      '**/*.redis.test.ts',
      '**/*.distributed.test.ts',
      '**/*.faults.test.ts',
      '**/*.browser.test.ts',
      'node_modules/**',
      'dist/**',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
