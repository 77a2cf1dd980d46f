/**
 * Notifications' registrations (called once by engine/features.ts): arrival notices of user
 * tasks whose node names a message template, and their deploy check (taskArrival.ts).
 */
import { registerCompileListener } from '../extensions/compileListeners.ts';
import { registerFlushParticipant } from '../extensions/flushParticipants.ts';
import { taskArrivalChecks, taskArrivalNotices } from './taskArrival.ts';

export function registerNotifications(): void {
  registerCompileListener(taskArrivalChecks);
  registerFlushParticipant(taskArrivalNotices);
}
