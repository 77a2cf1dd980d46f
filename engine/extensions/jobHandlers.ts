/**
 * Job handlers: what runs a leased job of each type (engine/jobs/runJob.ts looks it up).
 * A handler is registered for an exact type (`timer`, `automation:run`) or for a prefix
 * ending in `:` (`effect:`, `task:`); an exact type wins. A new job type is one handler
 * file plus one registration line in its feature's register.ts.
 */
import type { CommandDeps } from '../commands/runCommand.ts';
import type { JobRunSettings } from '../jobs/settings.ts';
import type { JobRow } from '../store/jobs.ts';
import { assertFeaturesInstalled } from './installed.ts';

export interface LeasedJob {
  deps: CommandDeps;
  settings: JobRunSettings;
  job: JobRow;
  /** The lease owner; a handler that deletes or fires the job checks it still holds the lease. */
  owner: string;
  /** Aborted when the executor stops. */
  stopSignal?: AbortSignal;
}

/** `ran: false`: the job was gone or its lease lost before it could be finished (not a failure). */
export type JobHandlerResult = { ran: true } | { ran: false; reason: 'gone' | 'lease_lost' };

/** Throws on failure; the runner applies the retry/incident policy. */
export type JobHandler = (leased: LeasedJob) => Promise<JobHandlerResult>;

const exact = new Map<string, JobHandler>();
const prefixes = new Map<string, JobHandler>();

export function registerJobHandler(type: string, handler: JobHandler): void {
  (type.endsWith(':') ? prefixes : exact).set(type, handler);
}

export function jobHandlerFor(type: string): JobHandler | undefined {
  assertFeaturesInstalled('runLeasedJob');
  const handler = exact.get(type);
  if (handler) return handler;
  for (const [prefix, candidate] of prefixes) if (type.startsWith(prefix)) return candidate;
  return undefined;
}
