/**
 * One instance being advanced inside a command: its token tree, its compiled model, and
 * everything the run will write (tasks, subscriptions, jobs, history, events). Nothing
 * touches the database until the unit of work flushes it, so a failing step leaves no trace.
 */
import { randomUUID } from 'node:crypto';
import type { CompiledProcess, FlowNode } from '../bpmn/model.ts';
import type { DomainEvent } from '../events.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { engineLimits, limitEnvName } from '../limits.ts';
import {
  childrenOf,
  descendantsOf,
  eventSubProcessOwner,
  rootExecution,
  type Execution,
  type InstanceState,
} from './state.ts';
import { visibleVariables } from './variables.ts';

export type InstanceStatus = 'active' | 'completed' | 'terminated' | 'incident';

export interface InstanceRecord {
  id: string;
  definitionId: string;
  definitionKey: string;
  businessKey: string | null;
  status: InstanceStatus;
  parentInstanceId: string | null;
  parentExecutionId: string | null;
  startedBy: string | null;
  startedAt: Date;
  endedAt: Date | null;
}

export interface NewTask {
  id: string;
  instanceId: string;
  executionId: string;
  elementId: string;
  name: string | null;
  formKey: string | null;
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
  priority: number;
  dueAt: Date | null;
  createdAt: Date;
}

export interface NewSubscription {
  id: string;
  type: 'message' | 'signal';
  eventName: string;
  correlationKey: string | null;
  instanceId: string;
  executionId: string;
  elementId: string;
}

export interface NewJob {
  id: string;
  type: string;
  /** Null for timer start events, which belong to a definition. */
  instanceId: string | null;
  executionId: string | null;
  elementId: string | null;
  dueAt: Date;
  payload: Record<string, unknown>;
}

/** A row of the task_actions log (what happened to a task, or to the instance when `taskId` is its id). */
export interface NewTaskAction {
  taskId: string;
  instanceId: string;
  action: string;
  actor: string | null;
  comment?: string | null;
  details?: object;
}

export interface HistoryEntry {
  id: string;
  executionId: string;
  elementId: string;
  elementType: string;
  elementName: string | null;
  startedAt: Date;
  endedAt: Date | null;
  cancelled: boolean;
  /** False when the row already exists and only its end is written. */
  isNew: boolean;
}

export class InstanceRun {
  readonly tasks: NewTask[] = [];
  readonly completedTaskIds = new Map<string, string | null>();
  readonly subscriptions: NewSubscription[] = [];
  readonly jobs: NewJob[] = [];
  readonly deletedJobIds = new Set<string>();
  /** Executions whose open tasks, subscriptions and jobs in the database are to be dropped. */
  readonly releasedExecutionIds = new Set<string>();
  /** Stored open tasks cancelled while their token stays (或签 decided by someone else). */
  readonly cancelledTaskIds = new Set<string>();
  /** Stored open tasks put on hold (true) or re-opened (false), e.g. around an added signer. */
  readonly heldTaskChanges = new Map<string, boolean>();
  readonly taskActions: NewTaskAction[] = [];
  /** Set when an automation started the instance: the chain of automations that led here. */
  automationChain?: string[];
  readonly history = new Map<string, HistoryEntry>();
  readonly events: DomainEvent[] = [];
  isNew = false;

  constructor(
    readonly record: InstanceRecord,
    readonly state: InstanceState,
    readonly process: CompiledProcess,
    private readonly clock: () => Date,
  ) {}

  get id(): string {
    return this.record.id;
  }

  now(): Date {
    return this.clock();
  }

  get root(): Execution {
    return rootExecution(this.state);
  }

  node(id: string): FlowNode {
    const node = this.process.nodes[id];
    if (!node) throw new Error(`no flow node ${id} in process ${this.process.id}`);
    return node;
  }

  execution(id: string): Execution {
    const found = this.state.executions.find((execution) => execution.id === id);
    if (!found) throw new ConflictError(`Execution ${id} no longer exists in instance ${this.id}`, 'execution_gone');
    return found;
  }

  findExecution(id: string): Execution | undefined {
    return this.state.executions.find((execution) => execution.id === id);
  }

  parentOf(execution: Execution): Execution | undefined {
    return execution.parentId === null ? undefined : this.findExecution(execution.parentId);
  }

  children(execution: Execution): Execution[] {
    return childrenOf(this.state, execution.id);
  }

  variablesOf(execution: Execution): Record<string, unknown> {
    return visibleVariables(this.state, execution);
  }

  newExecution(parent: Execution, elementId: string): Execution {
    // Bounds what one instance may hold however its tokens multiply (nested multi-instances, wide forks).
    const { maxTokens } = engineLimits();
    if (this.state.executions.length >= maxTokens) {
      throw new ValidationError(
        `Process "${this.process.id}" would hold more than ${maxTokens} tokens at once (${limitEnvName('maxTokens')}) when entering "${elementId}"`,
        [{ pointer: elementId, message: `more than ${maxTokens} tokens` }],
        'too_many_tokens',
      );
    }
    const execution: Execution = { id: randomUUID(), parentId: parent.id, elementId, status: 'active' };
    this.state.executions.push(execution);
    return execution;
  }

  // ---- history ----------------------------------------------------------------------

  startHistory(execution: Execution, node: FlowNode): void {
    const entry: HistoryEntry = {
      id: randomUUID(),
      executionId: execution.id,
      elementId: node.id,
      elementType: node.type,
      elementName: node.name ?? null,
      startedAt: this.now(),
      endedAt: null,
      cancelled: false,
      isNew: true,
    };
    this.history.set(entry.id, entry);
    execution.historyId = entry.id;
  }

  endHistory(execution: Execution, cancelled = false): void {
    const historyId = execution.historyId;
    if (!historyId) return;
    execution.historyId = undefined;
    const pending = this.history.get(historyId);
    if (pending) {
      pending.endedAt = this.now();
      pending.cancelled = cancelled;
      return;
    }
    this.history.set(historyId, {
      id: historyId,
      executionId: execution.id,
      elementId: execution.elementId,
      elementType: '',
      elementName: null,
      startedAt: this.now(),
      endedAt: this.now(),
      cancelled,
      isNew: false,
    });
  }

  // ---- what a waiting token owns ---------------------------------------------------

  /**
   * Drops every task, subscription and job the execution owns, both those written by an
   * earlier command and those created in this one (a token that moves on waits no more).
   */
  release(execution: Execution): void {
    this.releaseOwner(execution.id);
    this.releaseOwner(eventSubProcessOwner(execution.id));
  }

  releaseOwner(ownerId: string): void {
    this.releasedExecutionIds.add(ownerId);
    const drop = <T extends { executionId: string | null }>(list: T[]) => {
      for (let index = list.length - 1; index >= 0; index -= 1) {
        if (list[index]!.executionId === ownerId) list.splice(index, 1);
      }
    };
    drop(this.subscriptions);
    drop(this.jobs);
    drop(this.tasks);
  }

  /** Removes an execution and everything below it, ending their history as cancelled. */
  removeTree(execution: Execution, cancelled: boolean): Execution[] {
    const removed = [...descendantsOf(this.state, execution.id), execution];
    for (const gone of removed) {
      this.endHistory(gone, cancelled);
      this.release(gone);
    }
    const ids = new Set(removed.map((gone) => gone.id));
    this.state.executions = this.state.executions.filter((candidate) => !ids.has(candidate.id));
    return removed;
  }

  /** Cancels everything below `execution` but keeps the execution itself. */
  removeChildren(execution: Execution, cancelled: boolean): Execution[] {
    return this.children(execution).flatMap((child) => this.removeTree(child, cancelled));
  }

  emit(event: DomainEvent): void {
    this.events.push(event);
  }

  /** Element ids where tokens are, for the API's `activeElementIds`. */
  activeElementIds(): string[] {
    const ids: string[] = [];
    for (const execution of this.state.executions) {
      if (execution.parentId !== null && !ids.includes(execution.elementId)) ids.push(execution.elementId);
    }
    return ids;
  }
}
