/**
 * Flush participants: features that write beside the instances when a unit of work flushes
 * (runtime/unitOfWork.ts), in the command's transaction, so their rows commit or fail with
 * the instances. Registered once at start (engine/features.ts).
 */
import type { Db } from '../db/connection.ts';
import type { InstanceRun } from '../runtime/instanceRun.ts';
import { assertFeaturesInstalled } from './installed.ts';

export interface FlushContext {
  trx: Db;
  /** Every instance the command touched, in the order it first touched them. */
  runs: readonly InstanceRun[];
  /** The command's clock reading for this flush. */
  at: Date;
}

export interface FlushParticipant {
  /** For error messages and the architecture note. */
  name: string;
  /** Before any instance row is written. */
  beforeInstances?(context: FlushContext): Promise<void>;
  /** After one instance's own rows (instance, tasks, waits, jobs, history) are written. */
  instanceWritten?(context: FlushContext, run: InstanceRun): Promise<void>;
  /** After every instance's rows are written. */
  afterInstances?(context: FlushContext): Promise<void>;
}

const participants: FlushParticipant[] = [];

export function registerFlushParticipant(participant: FlushParticipant): void {
  if (participants.some((known) => known.name === participant.name)) return;
  participants.push(participant);
}

export function flushParticipants(): readonly FlushParticipant[] {
  assertFeaturesInstalled('UnitOfWork.flush');
  return participants;
}
