/**
 * What a behaviour may ask of the unit of work it runs in: work that reaches beyond the
 * instance being advanced (called processes, signals to other instances), all inside the
 * same transaction; and the interpreter's moves, handed over through the step so that no
 * behaviour imports the interpreter that dispatches to it (no import cycle).
 */
import type { CompiledProcess, FlowNode } from '../bpmn/model.ts';
import type { Db } from '../db/connection.ts';
import type { InstanceRun } from './instanceRun.ts';
import type { Execution } from './state.ts';

export interface RuntimeServices {
  /**
   * The command's transaction, for behaviours that must READ beside the instance (approvers
   * from the organisation). Writes are buffered on the InstanceRun and written by the flush.
   */
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

/** The interpreter's moves (runtime/interpreter.ts), as behaviours and features call them. */
export interface InterpreterOps {
  /** Moves the token into the node and lets the node's behaviour act. */
  enterNode(step: Step, execution: Execution, nodeId: string, viaFlowId?: string): Promise<void>;
  /** Enters and at once leaves a node (a catch event whose trigger already happened). */
  passThrough(step: Step, execution: Execution, nodeId: string): Promise<void>;
  /** The token is done with its node: outputs, then along the outgoing flows. */
  leaveNode(step: Step, execution: Execution): Promise<void>;
  /** Sends the token down the first flow and a new sibling token down each other one. */
  continueAlong(step: Step, execution: Execution, flowIds: string[]): void;
  /** The token reached an end; its scope completes once it holds no token. */
  endExecution(step: Step, execution: Execution): Promise<void>;
  completeScopeIfEmpty(step: Step, scope: Execution): Promise<void>;
  completeInstance(step: Step, status: 'completed' | 'terminated'): Promise<void>;
}

/** The context a behaviour runs in. */
export interface Step {
  services: RuntimeServices;
  run: InstanceRun;
  /** Work queued behind the current operation; drained in order. */
  agenda: Array<() => Promise<void> | void>;
  ops: InterpreterOps;
}

/** One behaviour per BPMN element type (behaviors/index.ts); the interpreter dispatches on `node.type`. */
export interface Behavior {
  enter(step: Step, execution: Execution, node: FlowNode): Promise<void> | void;
}
