/**
 * One durable journal append on this machine's disk, the ways the journal can make it: a write
 * then fdatasync (two system calls, two trips through libuv's pool), one write on a descriptor
 * opened with O_DSYNC (what FileJournal does where the OS has it), and that write into a file
 * zeroed ahead (FileJournal's `preallocate`, the embedded system's setting). Appends one at a
 * time, as a lone order's batch would be, and prints the latency and the CPU per append: in all
 * threads, and in the main thread alone (what each append takes from the order flow's thread,
 * although the write itself runs on libuv's pool).
 *
 *   node --import tsx bench/journal-sync.ts [--bytes 4096] [--seconds 8] [--dir /tmp]
 */
import { constants, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeZeros } from '../src/adapters/journal/file-journal.js';
import { scriptOptions } from './options.js';
import { threadCpu } from './server-cpu.js';

const values = scriptOptions('node --import tsx bench/journal-sync.ts [options]', {
  bytes: { type: 'string', default: '4096', help: 'bytes per append' },
  seconds: { type: 'string', default: '8', help: 'seconds per mode' },
  dir: { type: 'string', help: 'directory on the disk to measure (default: the OS temporary directory)' },
});

type Mode = 'write + fdatasync' | 'O_DSYNC write' | 'O_DSYNC, zeroed ahead';

async function measure(mode: Mode, path: string): Promise<void> {
  const dataSync = mode !== 'write + fdatasync';
  if (mode === 'O_DSYNC, zeroed ahead') await zeroFile(path, Number(values.seconds) * 10_000 * Number(values.bytes)); // more than this disk appends in that time
  const handle = await open(
    path,
    constants.O_WRONLY | constants.O_CREAT | (mode === 'O_DSYNC, zeroed ahead' ? 0 : constants.O_TRUNC) | (dataSync ? constants.O_DSYNC : 0),
  );
  const buffer = Buffer.alloc(Number(values.bytes), 1);
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  const mainThreadBefore = mainThreadCpuMs();
  const end = performance.now() + Number(values.seconds) * 1000;
  for (let position = 0; performance.now() < end; position += buffer.length) {
    const started = performance.now();
    await handle.write(buffer, 0, buffer.length, position);
    if (!dataSync) await handle.datasync();
    latencies.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const mainThreadMicros = ((mainThreadCpuMs() - mainThreadBefore) * 1000) / latencies.length;
  await handle.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.floor(q * (latencies.length - 1))]!.toFixed(3);
  const cpuMicros = (cpu.user + cpu.system) / latencies.length;
  console.log(
    `${mode.padEnd(21)} ${latencies.length} appends: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; ${cpuMicros.toFixed(0)} µs of CPU per append in all threads, ${Number.isNaN(mainThreadMicros) ? '—' : mainThreadMicros.toFixed(0)} µs in the main thread`,
  );
}

/** `bytes` of zeros, synced, written as FileJournal writes a spare segment (enough for every append of the run). */
async function zeroFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  await writeZeros(handle, bytes);
  await handle.datasync();
  await handle.close();
}

/** The main thread's CPU (ms, 10 ms resolution) from Linux's /proc; NaN elsewhere. */
function mainThreadCpuMs(): number {
  return threadCpu(process.pid).get(process.pid) ?? Number.NaN;
}

const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'journal-sync-'));
try {
  await measure('write + fdatasync', join(dir, 'a'));
  await measure('O_DSYNC write', join(dir, 'b'));
  await measure('O_DSYNC, zeroed ahead', join(dir, 'c'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
