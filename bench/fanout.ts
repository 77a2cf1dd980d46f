import type { Log } from './scale.ts';
export async function runFanoutBench(options: { url: string; log: Log; [k: string]: unknown }): Promise<void> {
  options.log('fanout: not yet');
}
