/** How jobs are run: effect handlers, retries, lease and effect timeout (the executor's and "execute now"'s settings). */
import { defaultEffects, type EffectRegistry } from '../effects/index.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './failures.ts';

export interface JobRunSettings {
  effects: EffectRegistry;
  retry: RetryPolicy;
  leaseMs: number;
  /** An effect is aborted after this long; keep it well under the lease. */
  effectTimeoutMs: number;
  env: Record<string, string | undefined>;
}

export const DEFAULT_LEASE_MS = 60_000;

export function jobRunSettings(partial: Partial<JobRunSettings> = {}): JobRunSettings {
  const leaseMs = partial.leaseMs ?? DEFAULT_LEASE_MS;
  return {
    effects: partial.effects ?? defaultEffects,
    retry: partial.retry ?? DEFAULT_RETRY_POLICY,
    leaseMs,
    effectTimeoutMs: partial.effectTimeoutMs ?? Math.floor(leaseMs / 2),
    env: partial.env ?? process.env,
  };
}
