/**
 * The inbox's registrations with the engine's extension points (called once by
 * engine/features.ts): the process summary fields read at compile time, and the node
 * timeout deadline written on new tasks.
 */
import { registerCompileListener } from '../extensions/compileListeners.ts';
import { registerFlushParticipant } from '../extensions/flushParticipants.ts';
import { taskDeadlinesOnFlush } from './deadlines.ts';
import { summaryCompileListener } from './summaryModel.ts';

export function registerInbox(): void {
  registerCompileListener(summaryCompileListener);
  registerFlushParticipant(taskDeadlinesOnFlush);
}
