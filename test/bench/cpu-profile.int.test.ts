import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProfile, summarizeProfile } from '../../bench/profiling/profile-summary.js';

/** The benchmark's --profile parts: the preloaded profiler in a real process, and the summary. */
const directory = mkdtempSync(join(tmpdir(), 'oms-cpu-profile-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });

describe('the CPU profile summary', () => {
  it('charges native time to the project module that called it and leaves idle time out of the shares', () => {
    const summary = summarizeProfile({
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
        { id: 2, callFrame: frame('flush', 'file:///srv/oms/dist/fix/session.js'), children: [3] },
        { id: 3, callFrame: frame('writeSync', 'node:fs'), children: [4] },
        { id: 4, callFrame: frame('writeBuffer') },
        { id: 5, callFrame: frame('(garbage collector)') },
        { id: 6, callFrame: frame('(idle)') },
      ],
      // Three samples of 1 ms in writeBuffer, one in GC, four idle (a sample lasts until the next).
      samples: [4, 4, 4, 5, 6, 6, 6, 6],
      timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
    });
    expect(summary).toContain('busy 57% of it');
    expect(summary).toMatch(/75\.0% {2}node fs \(native\)/);
    expect(summary).toMatch(/attributed to the nearest project module up the stack:\n {4} 75\.0% {2}fix\n {4} 25\.0% {2}GC/);
    expect(summary).toMatch(/hottest functions \(self time\):\n {4} 75\.0% {2}writeBuffer/);
    expect(summary).toMatch(/by the nearest project function up the stack:\n {4}writeBuffer\n {6} 75\.0% {2}flush {2}dist\/fix\/session\.js:1\n/);
  });
});

describe('the preloaded profiler', () => {
  it('profiles the main thread from one SIGUSR2 to the next and writes the profile', async () => {
    // A process that spins in a function of its own between the two signals (never optimised, so
    // that V8 cannot inline it into the timer code that calls it: its samples keep its name).
    const busy =
      'function spinForProfile(){const end=Date.now()+5;while(Date.now()<end);} %NeverOptimizeFunction(spinForProfile); setInterval(spinForProfile,6); setTimeout(()=>process.exit(0),20000);';
    const child = spawn(process.execPath, ['--allow-natives-syntax', '--import', './bench/profiling/cpu-profiler.mjs', '-e', busy], {
      env: { ...process.env, BENCH_CPU_PROFILE_DIR: directory },
      stdio: 'inherit',
    });
    try {
      await new Promise((r) => setTimeout(r, 1_000));
      child.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 1_500));
      child.kill('SIGUSR2');
      const path = join(directory, 'profile-1.cpuprofile');
      await expect.poll(() => existsSync(path), { timeout: 10_000 }).toBe(true);
      expect(readdirSync(directory)).toEqual(['profile-1.cpuprofile']);
      const summary = summarizeProfile(readProfile(path));
      expect(summary, summary).toMatch(/main thread: 1\.\d s sampled/);
      // Most of the busy time is in the spinning function.
      const spinShare = Number(/^ +(\d+\.\d)% {2}spinForProfile/m.exec(summary.slice(summary.indexOf('hottest functions')))?.[1]);
      expect(spinShare, summary).toBeGreaterThan(50);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
