/** Tiering's registration (called once by engine/features.ts): the daily job's handler. */
import { registerJobHandler } from '../extensions/jobHandlers.ts';
import { TIERING_JOB_TYPE, tieringJobHandler } from './job.ts';

export function registerTiering(): void {
  registerJobHandler(TIERING_JOB_TYPE, tieringJobHandler);
}
