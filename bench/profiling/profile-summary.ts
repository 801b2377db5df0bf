/**
 * Where a V8 CPU profile's time went, in text: the main thread's busy share, self time by where
 * it ran (a project module, a package, a part of Node, GC), time attributed to the nearest
 * project module up the stack (a socket write the FIX session asked for counts to the FIX
 * engine), the hottest functions, and who called the three hottest (a native write from the
 * journal, from a FIX store, from a socket). The benchmark prints it after each profiled phase; on its own:
 *
 *   node --import tsx bench/profiling/profile-summary.ts bench-profiles/lifecycle-1000.cpuprofile
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Lines shown per table. */
const TOP = 12;
/** The hottest functions whose callers are listed, and callers listed for each. */
const CALLERS_OF = 3;
const NOT_BUSY = new Set(['(idle)', '(root)']);

/** `where`: a project module (fix, services/oms-core), a package, a part of Node, GC or V8. */
export function whereItRan(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName === '(garbage collector)' ? 'GC' : functionName.startsWith('(') ? `V8 ${functionName}` : 'native code';
  const project = projectModule(url);
  if (project) return project;
  const packageMatch = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (packageMatch) return packageMatch[1]!;
  if (url.startsWith('node:'))
    return `node ${
      url
        .slice('node:'.length)
        .replace(/^internal\//, '')
        .split('/')[0]
    }`;
  return url;
}

/** `fix`, `services/oms-core`, `adapters/journal`...: the module of a file under dist/, src/ or bench/. */
function projectModule(url: string): string | undefined {
  const match = /\/(dist|src|bench)\/(.+)$/.exec(url);
  if (!match || url.includes('/node_modules/')) return undefined;
  if (match[1] === 'bench') return 'bench';
  const directories = match[2]!.split('/').slice(0, -1);
  return directories.length === 0 ? 'app' : directories.slice(0, 2).join('/');
}

export function summarizeProfile(profile: CpuProfile): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  // The frame of the project nearest the leaf (the leaf itself if it is one; undefined: none on
  // the stack), memoized: its module and its function are what the time is charged to.
  const nearest = new Map<number, ProfileNode | undefined>();
  const nearestProjectFrame = (id: number): ProfileNode | undefined => {
    if (nearest.has(id)) return nearest.get(id);
    const node = byId.get(id)!;
    const parent = parentOf.get(id);
    const result = projectModule(node.callFrame.url) ? node : parent !== undefined ? nearestProjectFrame(parent) : undefined;
    nearest.set(id, result);
    return result;
  };

  // A native function (writev, a crypto hash) counts under its caller's place, marked native.
  const selfWhere = (id: number): string => {
    const { callFrame } = byId.get(id)!;
    const parent = parentOf.get(id);
    if (callFrame.url || callFrame.functionName.startsWith('(') || parent === undefined) return whereItRan(callFrame);
    return `${selfWhere(parent).replace(/ \(native\)$/, '')} (native)`;
  };

  const selfByWhere = new Map<string, number>();
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const callersByFunction = new Map<string, Map<string, number>>();
  let total = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    // A sample lasts until the next one.
    const micros = profile.timeDeltas[i + 1] ?? 0;
    total += micros;
    const node = byId.get(id)!;
    if (NOT_BUSY.has(node.callFrame.functionName) && !node.callFrame.url) return;
    busy += micros;
    add(selfByWhere, selfWhere(id), micros);
    const projectFrame = nearestProjectFrame(id);
    add(byModule, projectFrame ? projectModule(projectFrame.callFrame.url)! : whereItRan(node.callFrame), micros);
    const label = functionLabel(node);
    add(byFunction, label, micros);
    const callersOfIt = callersByFunction.get(label) ?? new Map<string, number>();
    callersByFunction.set(label, callersOfIt);
    add(callersOfIt, projectFrame ? functionLabel(projectFrame) : '(no project function on the stack)', micros);
  });

  const share = (micros: number) => `${((100 * micros) / Math.max(busy, 1)).toFixed(1).padStart(5)}%`;
  const table = (title: string, rows: Map<string, number>) =>
    [
      `  ${title}`,
      ...sorted(rows)
        .slice(0, TOP)
        .map(([name, micros]) => `    ${share(micros)}  ${name}`),
    ].join('\n');
  return [
    `  main thread: ${(total / 1e6).toFixed(1)} s sampled, busy ${((100 * busy) / Math.max(total, 1)).toFixed(0)}% of it (${(busy / 1e6).toFixed(1)} s); shares below are of the busy time`,
    table('self time, by where it ran:', selfByWhere),
    table('attributed to the nearest project module up the stack:', byModule),
    table('hottest functions (self time):', byFunction),
    `  the ${CALLERS_OF} hottest, by the nearest project function up the stack:`,
    ...sorted(byFunction)
      .slice(0, CALLERS_OF)
      .flatMap(([name]) => [
        `    ${name}`,
        ...sorted(callersByFunction.get(name)!)
          .slice(0, CALLERS_OF)
          .map(([caller, micros]) => `      ${share(micros)}  ${caller}`),
      ]),
  ].join('\n');
}

function functionLabel(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url ? url.replace(/^.*\/(dist|src|bench|node_modules)\//, '$1/') : '';
  return `${functionName || '(anonymous)'}${file ? `  ${file}:${lineNumber + 1}` : ''}`;
}

function sorted(totals: Map<string, number>): [string, number][] {
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function add(totals: Map<string, number>, key: string, micros: number): void {
  totals.set(key, (totals.get(key) ?? 0) + micros);
}

export function readProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const paths = process.argv.slice(2);
  if (paths.length === 0) {
    console.log('node --import tsx bench/profiling/profile-summary.ts FILE.cpuprofile...');
    process.exitCode = 2;
  }
  for (const path of paths) console.log(`${path}\n${summarizeProfile(readProfile(path))}`);
}
