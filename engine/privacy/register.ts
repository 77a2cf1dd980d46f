/** Personal data's registration (called once by engine/features.ts): the daily retention job. */
import { registerJobHandler } from '../extensions/jobHandlers.ts';
import { RETENTION_JOB_TYPE, retentionJobHandler } from './retention.ts';

export function registerPrivacy(): void {
  registerJobHandler(RETENTION_JOB_TYPE, retentionJobHandler);
}
