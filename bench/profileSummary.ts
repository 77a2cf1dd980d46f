/**
 * Summarises a V8 CPU profile (`node --cpu-prof` writes a .cpuprofile, JSON): the top
 * functions and the top modules (npm packages, the project's folders, Node's internals) by
 * self time and by total time (time with the function or module anywhere on the stack,
 * each sample counted once however often it recurs).
 *
 *   npx tsx bench/profileSummary.ts <file.cpuprofile> [--top 30] [--under <text>] [--against <other.cpuprofile>] [--per <n>]
 *
 * `--under <text>`: only the samples with a frame whose function or file contains <text>
 * (e.g. `--under server/http` for what the HTTP middleware costs, `--under jsonParser`).
 * `--against <other>`: modules and functions by self time in both profiles and the difference
 * (e.g. the HTTP run against the in-process run of as many instances: what HTTP adds).
 * `--per <n>`: figures divided by n (instances of the run), in ms each.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const projectRoot = path.resolve(import.meta.dirname, '..');

/** Where a frame's code lives: an npm package, a project folder (two levels), a Node internal, or V8's own bucket. */
export function moduleOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (packageMatch) return packageMatch[1]!;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const relative = path.relative(projectRoot, file);
  if (relative.startsWith('..')) return file;
  const parts = relative.split(path.sep);
  return parts.length > 2 ? parts.slice(0, 2).join('/') : relative;
}

function functionOf(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const file = frame.url.startsWith('file://') ? new URL(frame.url).pathname : frame.url;
  const short = file.includes('node_modules/') ? file.slice(file.lastIndexOf('node_modules/') + 13) : path.relative(projectRoot, file);
  return `${name} ${short.startsWith('..') ? file : short}:${frame.lineNumber + 1}`;
}

interface Tally {
  self: Map<string, number>;
  total: Map<string, number>;
}

const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);

export function summarise(profile: CpuProfile, under?: string) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const functions: Tally = { self: new Map(), total: new Map() };
  const modules: Tally = { self: new Map(), total: new Map() };
  let counted = 0;
  const all = profile.endTime - profile.startTime;
  const matches = (frame: CallFrame) => under === undefined || frame.functionName.includes(under) || frame.url.includes(under);
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the time before sample i: the time a sample stands for is the next delta.
    const us = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const stack: CallFrame[] = [];
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) stack.push(byId.get(id)!.callFrame);
    if (under !== undefined && !stack.some(matches)) continue;
    counted += us;
    const leaf = stack[0]!;
    add(functions.self, functionOf(leaf), us);
    add(modules.self, moduleOf(leaf), us);
    for (const key of new Set(stack.map(functionOf))) add(functions.total, key, us);
    for (const key of new Set(stack.map(moduleOf))) add(modules.total, key, us);
  }
  return { all, counted, functions, modules };
}

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

/** Self time in `file` and in `other`, largest differences first. */
function compare(file: string, other: string, top: number, per: number, under: string | undefined): void {
  const mine = summarise(read(file), under);
  const theirs = summarise(read(other), under);
  const ms = (us: number) => (us / 1000 / per).toFixed(per > 1 ? 3 : 0).padStart(8);
  const table = (title: string, a: Map<string, number>, b: Map<string, number>) => {
    console.log(`\n${title}: ${path.basename(file)} | ${path.basename(other)} | difference${per > 1 ? ` (ms per 1/${per} of each run)` : ' (ms)'}`);
    const keys = [...new Set([...a.keys(), ...b.keys()])].filter((key) => key !== '(idle)');
    const rows = keys.map((key) => [key, a.get(key) ?? 0, b.get(key) ?? 0] as const).sort((x, y) => y[1] - y[2] - (x[1] - x[2]));
    for (const [key, x, y] of rows.slice(0, top)) console.log(`${ms(x)} ${ms(y)} ${ms(x - y)}  ${key}`);
    const sum = (map: Map<string, number>) => [...map].filter(([key]) => key !== '(idle)').reduce((total, [, us]) => total + us, 0);
    console.log(`${ms(sum(a))} ${ms(sum(b))} ${ms(sum(a) - sum(b))}  (all busy time)`);
  };
  table('Modules by self time', mine.modules.self, theirs.modules.self);
  table(`Top ${top} functions by self-time difference`, mine.functions.self, theirs.functions.self);
}

function main(): void {
  const args = process.argv.slice(2);
  const valued = ['--top', '--under', '--against', '--per'];
  const file = args.find((arg, i) => !arg.startsWith('--') && !valued.includes(args[i - 1] ?? ''));
  if (!file) {
    console.error('usage: npx tsx bench/profileSummary.ts <file.cpuprofile> [--top 30] [--under <text>] [--against <other.cpuprofile>] [--per <n>]');
    process.exitCode = 2;
    return;
  }
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const top = Number(option('--top') ?? 30);
  const under = option('--under');
  const against = option('--against');
  if (against) return compare(file, against, top, Number(option('--per') ?? 1), under);
  const { all, counted, functions, modules } = summarise(read(file), under);
  // Idle time is the event loop waiting: shares are of the busy time.
  const idle = functions.self.get('(idle)') ?? 0;
  const busy = under === undefined ? counted - idle : counted;
  const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
  const share = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const table = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [key, us] of [...map].filter(([key]) => key !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${ms(us)} ms ${share(us)}  ${key}`);
    }
  };
  console.log(`${file}: ${(all / 1e6).toFixed(1)} s profiled, ${(idle / 1e6).toFixed(1)} s idle, ${(busy / 1e6).toFixed(2)} s busy${under ? ` under "${under}"` : ''} (shares are of that)`);
  table('Modules by self time', modules.self);
  table('Modules by total time', modules.total);
  table(`Top ${top} functions by self time`, functions.self);
  table(`Top ${top} functions by total time`, functions.total);
}

main();
