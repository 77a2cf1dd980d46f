/** The registry of outside effects: job type `effect:<type>` → the handler that performs it. */
import { chatRobot } from './chatRobot.ts';
import { email } from './email.ts';
import type { EffectHandler, EffectRegistry } from './types.ts';
import { webhook } from './webhook.ts';

export { EffectError, type EffectContext, type EffectHandler, type EffectRegistry } from './types.ts';

export const EFFECT_PREFIX = 'effect:';

export const defaultEffects: EffectRegistry = {
  'effect:webhook': webhook,
  'effect:email': email,
  'effect:chatRobot': chatRobot,
};

export function effectHandler(registry: EffectRegistry, jobType: string): EffectHandler | undefined {
  return Object.hasOwn(registry, jobType) ? registry[jobType] : undefined;
}
