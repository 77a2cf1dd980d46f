/**
 * What a behaviour may ask of the unit of work it runs in: work that reaches beyond the
 * instance being advanced (called processes, signals to other instances), all inside the
 * same transaction.
 */
import type { CompiledProcess } from '../bpmn/model.ts';
import type { Db } from '../db/connection.ts';
import type { InstanceRun } from './instanceRun.ts';
import type { Execution } from './state.ts';

export interface RuntimeServices {
  /** The command's transaction, for behaviours that must read the organisation (approvers) or write beside the instance. */
  readonly trx: Db;
  /** Starts the latest version of `processKey` as a child of `caller`, in this transaction. */
  startCalledInstance(
    caller: InstanceRun,
    callerExecution: Execution,
    processKey: string,
    variables: Record<string, unknown>,
  ): Promise<InstanceRun>;
  /** Terminates a called instance because its call activity was interrupted. */
  terminateCalledInstance(instanceId: string): Promise<void>;
  /** Tells the calling instance that `child` has completed. */
  returnToCaller(child: InstanceRun): Promise<void>;
  /** Broadcasts a signal thrown inside a process to every other waiting instance. */
  throwSignal(source: InstanceRun, signalName: string, variables: Record<string, unknown>): Promise<void>;
  /** Propagates an uncaught BPMN error from a called instance to its call activity. */
  throwErrorToCaller(child: InstanceRun, errorCode: string | undefined): Promise<boolean>;
  /** The compiled model of the latest definition for `key`, or null. */
  latestProcess(key: string): Promise<{ definitionId: string; process: CompiledProcess } | null>;
}

/** The context a behaviour runs in. */
export interface Step {
  services: RuntimeServices;
  run: InstanceRun;
  /** Work queued behind the current operation; drained in order. */
  agenda: Array<() => Promise<void> | void>;
}
