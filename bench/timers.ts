import type { Log } from './scale.ts';
export async function runTimersBench(options: { url: string; log: Log; [k: string]: unknown }): Promise<void> {
  options.log('timers: not yet');
}
