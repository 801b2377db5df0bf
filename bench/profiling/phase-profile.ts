/**
 * `--profile DIR`: the server's main thread is profiled during each embedded phase (a SIGUSR2 to
 * bench/profiling/cpu-profiler.mjs at its start and at its end), the profile saved as
 * DIR/<phase>.cpuprofile (for Chrome DevTools or speedscope) and summarized under the phase.
 */
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '../load.js';
import { readProfile, summarizeProfile } from './profile-summary.js';

/** The server process the benchmark started, with the profiler preloaded when profileDir is set. */
export interface ProfiledServer {
  readonly profileDir: string | undefined;
  pids(): number[];
}

/** How long the server may take to write a profile after the phase (a 60 s phase's is tens of MB). */
const WRITE_TIMEOUT_MS = 60_000;

/** Runs a phase; with a profile directory, profiles the server's main thread while it runs. */
export async function profiled<T>(server: ProfiledServer | undefined, phase: string, run: () => Promise<T>): Promise<T> {
  const directory = server?.profileDir;
  const pid = server?.pids()[0];
  if (!directory || pid === undefined || !toggleProfiler(pid)) return run();
  try {
    return await run();
  } finally {
    // A server that died in the phase wrote nothing; the phase's own error says why.
    if (toggleProfiler(pid)) {
      const path = await savedProfile(directory, phase);
      console.log(
        path
          ? `  cpu profile of the server's main thread: ${path}\n${summarizeProfile(readProfile(path))}`
          : `  no cpu profile was written within ${WRITE_TIMEOUT_MS / 1000} s`,
      );
    }
  }
}

/** SIGUSR2 to the profiler; false when the process is gone. */
function toggleProfiler(pid: number): boolean {
  try {
    return process.kill(pid, 'SIGUSR2');
  } catch {
    return false;
  }
}

/** Waits for the profiler's file and renames it after the phase; undefined if none came. */
async function savedProfile(directory: string, phase: string): Promise<string | undefined> {
  const deadline = performance.now() + WRITE_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const written = readdirSync(directory).find((name) => /^profile-\d+\.cpuprofile$/.test(name));
    if (written) {
      const path = join(directory, `${phase}.cpuprofile`);
      renameSync(join(directory, written), path);
      return path;
    }
    await sleep(100);
  }
  return undefined;
}
