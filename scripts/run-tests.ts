/**
 * `npm test`: vitest (arguments pass through), then once more for the files whose test process
 * died while no test had failed. Node.js 22 to 26 can kill a process with SIGSEGV while PGlite's
 * WebAssembly starts (nodejs/node#64500, open; electric-sql/pglite#1053): vitest then says only
 * "Worker exited unexpectedly", and that file's tests never end. Seen once here, on Node 24, in a
 * file that passes alone. Such files run once more, and the run says so; a failed test, any other
 * error, or a second death fails the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** What vitest's JSON reporter writes, as far as this script reads it. */
interface JsonReport {
  readonly testResults: readonly { readonly name: string; readonly assertionResults: readonly { readonly status: string }[] }[];
}

const directory = mkdtempSync(join(tmpdir(), 'oms-test-report-'));
const reportPath = join(directory, 'vitest.json');

function vitest(args: readonly string[]): number {
  rmSync(reportPath, { force: true });
  const run = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportPath}`, ...args],
    { stdio: 'inherit' },
  );
  return run.status ?? 1;
}

/** Files with a test that never ended, when no test failed; undefined when the run failed otherwise. */
function diedUnfinished(): string[] | undefined {
  if (!existsSync(reportPath)) return undefined;
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport;
  const statuses = report.testResults.flatMap((file) => file.assertionResults.map((test) => test.status));
  if (statuses.includes('failed')) return undefined;
  const unfinished = report.testResults
    .filter((file) => file.assertionResults.some((test) => test.status === 'pending'))
    .map((file) => relative(process.cwd(), file.name));
  return unfinished.length > 0 ? unfinished : undefined;
}

function main(): number {
  const args = process.argv.slice(2);
  const status = vitest(args);
  if (status === 0) return 0;
  const files = diedUnfinished();
  if (!files) return status;
  console.error(`\n=== npm test: no test failed, but the test process of ${files.join(', ')} died before its tests ended (on Node ${process.version}).`);
  console.error('=== A known Node.js crash while PGlite starts (nodejs/node#64500). Running those files once more:\n');
  const again = vitest(files);
  if (again === 0) console.error(`\n=== npm test: ${files.join(', ')} passed on the second run.`);
  return again;
}

try {
  process.exitCode = main();
} finally {
  rmSync(directory, { recursive: true, force: true });
}
