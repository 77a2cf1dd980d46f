/**
 * Notifications' registrations (called once by engine/features.ts): arrival notices of user
 * tasks whose node names a message template, and their deploy check (taskArrival.ts); a
 * model's own in-app notification, `liuzhuan:effect type="notify"` (notifyEffect.ts).
 */
import { registerCompileListener } from '../extensions/compileListeners.ts';
import { registerFlushParticipant } from '../extensions/flushParticipants.ts';
import { registerJobHandler } from '../extensions/jobHandlers.ts';
import { NOTIFY_EFFECT_JOB_TYPE, notifyEffectChecks, notifyEffectHandler } from './notifyEffect.ts';
import { taskArrivalChecks, taskArrivalNotices } from './taskArrival.ts';

export function registerNotifications(): void {
  registerCompileListener(taskArrivalChecks);
  registerFlushParticipant(taskArrivalNotices);
  // An exact job type: it wins over the effects' `effect:` prefix whatever the order.
  registerJobHandler(NOTIFY_EFFECT_JOB_TYPE, notifyEffectHandler);
  registerCompileListener(notifyEffectChecks);
}
