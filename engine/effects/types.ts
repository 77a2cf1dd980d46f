/** What an effect handler gets and may throw. One handler per `effect:<type>` job. */
import type { JobRow } from '../store/jobs.ts';

export interface EffectContext {
  job: JobRow;
  /** The `liuzhuan:effect` attributes and entries, as strings. */
  config: Record<string, string>;
  /** The instance variables when the service task was reached. */
  variables: Record<string, unknown>;
  /** The executor's clock. */
  now: Date;
  /** Aborted on the effect's timeout or when the executor stops. */
  signal: AbortSignal;
  env: Record<string, string | undefined>;
}

export type EffectHandler = (context: EffectContext) => Promise<void>;

/** `effect:<type>` → handler. */
export type EffectRegistry = Readonly<Record<string, EffectHandler>>;

/** A failed delivery; the message lands in `jobs.last_error` and later in the incident. */
export class EffectError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EffectError';
  }
}

export function requireConfig(context: EffectContext, key: string): string {
  const value = context.config[key];
  if (!value) throw new EffectError(`The ${context.job.type} effect needs "${key}" in its configuration`);
  return value;
}
