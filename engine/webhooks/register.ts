/**
 * Webhooks' registration (called once by engine/features.ts): the `webhook:deliver` job
 * handler. Events are queued by database triggers (migration 046), not by a flush participant.
 */
import { registerJobHandler } from '../extensions/jobHandlers.ts';
import { runDeliveryJob } from './deliver.ts';
import { DELIVER_JOB_TYPE } from './settings.ts';

export function registerWebhooks(): void {
  registerJobHandler(DELIVER_JOB_TYPE, runDeliveryJob);
}
