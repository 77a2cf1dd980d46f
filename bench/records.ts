import type { Log } from './scale.ts';
export async function runRecordsBench(options: { url: string; log: Log; [k: string]: unknown }): Promise<void> {
  options.log('records: not yet');
}
