import { defineConfig } from 'vitest/config';

// The web blotter in Debian's chromium (scripts/ensure-test-services.sh installs it), run after the
// service-backed suites rather than among them: in two CI runs, one file's teardown (closing its
// browser and embedded system) outlived its 60 s hook timeout while the distributed and fault
// suites ran beside it, though every test passed and the same files pass run on their own. The
// files also run one at a time: each starts a system and a browser, and beside the 5,000-order file
// a teardown was seen outliving its timeout again on this 2-core machine.
export default defineConfig({
  test: {
    include: ['test/**/*.browser.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
