/**
 * Notifications' registrations (called once by engine/features.ts): arrival notices of user
 * tasks whose node names a message template (taskArrival.ts).
 */
import { registerFlushParticipant } from '../extensions/flushParticipants.ts';
import { taskArrivalNotices } from './taskArrival.ts';

export function registerNotifications(): void {
  registerFlushParticipant(taskArrivalNotices);
}
