/**
 * The engine's features, registered once with the extension points (engine/extensions/):
 * the core (runtime/, bpmn/, jobs/) looks features up there and imports none of them.
 * Every entry point calls `installFeatures()` before it runs anything: `createEngine` does,
 * and so do scripts and tests that use engine modules directly. Reading a registry before
 * it is called throws (extensions/installed.ts), so a forgotten call cannot run silently
 * without approvals, flow forms or automations.
 *
 * A new feature: a `register.ts` in its folder and one line here.
 */
import { registerApproval } from './approval/register.ts';
import { registerAutomations } from './automations/register.ts';
import { registerEffects } from './effects/register.ts';
import { markFeaturesInstalled } from './extensions/installed.ts';
import { registerJobHandler } from './extensions/jobHandlers.ts';
import { registerFlowForms } from './forms/register.ts';
import { registerInbox } from './inbox/register.ts';
import { registerNotifications } from './notifications/register.ts';
import { registerPublicLinks } from './publicLinks/register.ts';
import { TIMER_JOB_TYPE, timerJobHandler } from './jobs/timerJob.ts';
import { registerRouting } from './routing/register.ts';
import { registerTiering } from './tiering/register.ts';
import { registerPrivacy } from './privacy/register.ts';
import { registerWebhooks } from './webhooks/register.ts';

let installed = false;

/** Idempotent; order matters only among user task handlers and flush participants (none overlap today). */
export function installFeatures(): void {
  if (installed) return;
  installed = true;
  registerJobHandler(TIMER_JOB_TYPE, timerJobHandler);
  registerApproval();
  registerFlowForms();
  registerAutomations();
  registerEffects();
  registerRouting();
  registerInbox();
  registerTiering();
  registerPrivacy();
  registerPublicLinks();
  registerNotifications();
  registerWebhooks();
  markFeaturesInstalled();
}
