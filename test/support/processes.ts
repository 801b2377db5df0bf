import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Ports this process has handed out: a test asks for several before its processes listen on any. */
const handedOut = new Set<number>();
/** How many disjoint slices the range is cut into, one per concurrently running test worker. */
const WORKER_SLICES = 8;

/** A TCP port free now on 127.0.0.1 (for a process that must be told its ports before it starts). */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = ephemeralRange();
  // Below the kernel's ephemeral range: a port the OS gives out (port 0, or any outgoing
  // connection's local port) could be taken again between this check and the process's listen,
  // seconds later. Each vitest worker draws from a slice of its own (VITEST_POOL_ID is unique among
  // the workers running at once), and never hands out a port twice: a port checked free here stays
  // unlisted until its process starts, so only such bookkeeping keeps two tests from choosing it.
  const low = Math.max(1024, ephemeralLow - 12_000);
  const sliceSize = Math.floor((ephemeralLow - low) / WORKER_SLICES);
  const slice = (Number(process.env.VITEST_POOL_ID ?? 1) - 1) % WORKER_SLICES;
  const sliceLow = low + slice * sliceSize;
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = sliceLow + Math.floor(Math.random() * sliceSize);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port in ${sliceLow}..${sliceLow + sliceSize - 1}`);
}

function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // Not Linux: the IANA dynamic range.
  }
  return [49152, 65535];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Starts `src/main.ts` as its own process, as `npm start` would, and waits until it is healthy.
 * `preload`: a module imported first (a test's fault injection).
 */
export async function startSystemProcess(env: Record<string, string>, url: string, options: { preload?: string } = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...(options.preload ? ['--import', options.preload] : []), 'src/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // A deadline, not a count of tries: on a loaded machine compiling src/ and opening PGlite took over 30 s.
  for (const deadline = Date.now() + 90_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`the system exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/actuator/health`)).status === 200) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the system did not become healthy');
}
