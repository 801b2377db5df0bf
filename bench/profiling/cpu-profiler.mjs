// @ts-check
/**
 * Preloaded into the benchmark's server when `--profile DIR` is given
 * (`node --import ./bench/profiling/cpu-profiler.mjs dist/main.js`): SIGUSR2 starts V8's sampling
 * profiler on the main thread, the next SIGUSR2 stops it and writes `DIR/profile-N.cpuprofile`
 * (renamed after the phase by the benchmark). One profile per phase, not one per process as
 * `--cpu-prof` writes: a phase's figures and its profile cover the same seconds.
 *
 * Plain JavaScript: worker threads inherit the preload, and they have no TypeScript loader.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

/** Where the profiles go; the benchmark sets it with --profile. */
const directory = process.env.BENCH_CPU_PROFILE_DIR;
/**
 * µs between samples, V8's default. At 250 µs the sampling cost an idle server 7% of a core, more
 * than the benchmark's drain test allows above idle; at 1 ms it costs about 2%.
 */
const SAMPLING_INTERVAL_US = 1000;

if (directory && isMainThread) {
  /** @type {Session | undefined} The inspector session, connected only while profiling: a connected one costs CPU. */
  let session;
  let written = 0;
  /** @type {(method: string, params?: object) => Promise<any>} */
  const post = (method, params = {}) =>
    new Promise((resolve, reject) => session?.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

  const toggle = async () => {
    if (!session) {
      session = new Session();
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
      await post('Profiler.start');
      return;
    }
    const { profile } = await post('Profiler.stop');
    await post('Profiler.disable');
    session.disconnect();
    session = undefined;
    written++;
    // Written under a temporary name first: the benchmark takes the file once it has its final name.
    const path = join(directory, `profile-${written}.cpuprofile`);
    writeFileSync(`${path}.partial`, JSON.stringify(profile));
    renameSync(`${path}.partial`, path);
  };
  process.on('SIGUSR2', () => {
    toggle().catch((error) => console.error('cpu profiler:', error));
  });
}
