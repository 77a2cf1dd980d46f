/**
 * What the rest of the system needs of automations. Runs are `automation:run` jobs queued in
 * the transaction of the triggering change (queue.ts) and run by the job executor
 * (runner.ts, dispatched from engine/jobs/runJob.ts).
 */
export { MAX_CHAIN, runAutomationJob } from './runner.ts';
export { AUTOMATION_JOB_TYPE, queueRecordAutomations } from './queue.ts';
