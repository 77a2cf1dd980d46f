/** Outside effects' registration (called once by engine/features.ts): the `effect:*` job handler. */
import { registerJobHandler } from '../extensions/jobHandlers.ts';
import { EFFECT_PREFIX } from './index.ts';
import { effectJobHandler } from './jobHandler.ts';

export function registerEffects(): void {
  registerJobHandler(EFFECT_PREFIX, effectJobHandler);
}
