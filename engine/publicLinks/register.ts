/**
 * Public links' registrations (called once by engine/features.ts): the send/service task
 * handler that makes a link bound to the instance, its flush participant, and the deploy
 * checks of `liuzhuan:publicLink`.
 */
import { registerCompileListener } from '../extensions/compileListeners.ts';
import { registerFlushParticipant } from '../extensions/flushParticipants.ts';
import { registerServiceTaskHandler } from '../extensions/serviceTaskHandlers.ts';
import { publicLinkCompileChecks } from './compileChecks.ts';
import { createInstanceLink, instanceLinkWriter } from './instanceLinks.ts';

export function registerPublicLinks(): void {
  registerServiceTaskHandler(createInstanceLink);
  registerFlushParticipant(instanceLinkWriter);
  registerCompileListener(publicLinkCompileChecks);
}
