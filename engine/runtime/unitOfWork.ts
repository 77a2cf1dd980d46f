/**
 * One command's transaction. Instances are locked (`SELECT … FOR UPDATE`) the first time
 * they are touched and advanced in memory; `flush` writes everything at the end, and the
 * events are handed out only after the commit. Work that crosses instances (call
 * activities, signals) happens here, in the same transaction, so it commits or fails whole.
 * Features write beside the instances as flush participants (engine/extensions/).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import { batchWrites } from '../db/writeBatch.ts';
import type { DomainEvent } from '../events.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { deadlineIn, outsideBudget, type Deadline } from '../expressions/budget.ts';
import { flushParticipants, type FlushContext } from '../extensions/flushParticipants.ts';
import { engineLimits } from '../limits.ts';
import { yieldLoopIfHeld } from '../loopHeld.ts';
import { definitionById, latestDefinition, type LoadedDefinition } from '../store/definitions.ts';
import { lockInstance, type InstanceRow } from '../store/instances.ts';
import { findSignalSubscriptions, findStartSubscriptions } from '../store/subscriptions.ts';
import { schedule } from './agenda.ts';
import { returnFromCalledInstance } from './behaviors/callActivity.ts';
import { throwBpmnError } from './bpmnErrors.ts';
import { armEventSubProcesses } from './eventSubProcesses.ts';
import { completeInstance, drain, enterNode, interpreterOps } from './interpreter.ts';
import { InstanceRun, type NewTask } from './instanceRun.ts';
import type { RuntimeServices, Step } from './services.ts';
import type { Execution } from './state.ts';
import { fireEvent } from './triggers.ts';
import { assertNotStuck } from './stuckTokens.ts';
import { setVariables } from './variables.ts';
import { writeRun } from './writeRun.ts';

export interface StartOptions {
  businessKey?: string | null;
  variables?: Record<string, unknown>;
  startedBy?: string | null;
  /** A start event other than the none start event (message/signal/timer start). */
  startEventId?: string;
  parent?: { instanceId: string; executionId: string };
  /** The chain of the automation starting it; kept on the run for the automations' flush participant. */
  automationChain?: string[];
}

export class UnitOfWork implements RuntimeServices {
  private readonly steps = new Map<string, Step>();
  private deadline: Deadline | undefined;

  constructor(
    readonly trx: Db,
    private readonly clock: () => Date,
  ) {}

  step(run: InstanceRun): Step {
    return this.steps.get(run.id)!;
  }

  /** Locks and loads an instance; the same object is returned for the rest of the command. */
  async load(instanceId: string): Promise<InstanceRun> {
    const existing = this.steps.get(instanceId);
    if (existing) return existing.run;
    // Waiting for another command's lock is not this run's time (expressions/budget.ts).
    const row = await outsideBudget(() => lockInstance(this.trx, instanceId));
    if (!row) throw new NotFoundError(`Process instance ${instanceId} does not exist`);
    return this.adopt(row);
  }

  /**
   * Loads an instance whose row this transaction has already locked (e.g. together with a task,
   * store/tasks.ts lockTaskWithInstance): one round trip fewer than `load`.
   */
  async adopt(row: InstanceRow): Promise<InstanceRun> {
    const existing = this.steps.get(row.id);
    if (existing) return existing.run;
    const definition = await definitionById(this.trx, row.definitionId);
    if (!definition) throw new NotFoundError(`Definition ${row.definitionId} does not exist`);
    const run = new InstanceRun(row, row.state, definition.process, this.clock);
    this.steps.set(run.id, { run, services: this, agenda: [], ops: interpreterOps });
    return run;
  }

  /** Creates a new instance of `definition` and queues its start. */
  start(definition: LoadedDefinition, options: StartOptions): InstanceRun {
    const id = randomUUID();
    const process = definition.process;
    const startEventId = options.startEventId ?? process.scopes[process.id]?.noneStartEventIds[0];
    if (!startEventId) {
      throw new ValidationError(
        `Process "${process.id}" has no none start event; start it with its message or signal`,
        [{ pointer: process.id, message: 'no none start event' }],
        'no_start_event',
      );
    }
    const root: Execution = { id, parentId: null, elementId: process.id, status: 'waiting', variables: {} };
    const run = new InstanceRun(
      {
        id,
        definitionId: definition.id,
        definitionKey: definition.key,
        businessKey: options.businessKey ?? null,
        status: 'active',
        parentInstanceId: options.parent?.instanceId ?? null,
        parentExecutionId: options.parent?.executionId ?? null,
        startedBy: options.startedBy ?? null,
        startedAt: this.clock(),
        endedAt: null,
      },
      { executions: [root] },
      process,
      this.clock,
    );
    run.isNew = true;
    if (options.automationChain) run.automationChain = options.automationChain;
    const step: Step = { run, services: this, agenda: [], ops: interpreterOps };
    this.steps.set(id, step);
    setVariables(run.state, root, options.variables ?? {});
    const initiator = process.nodes[startEventId]?.initiatorVariable;
    if (initiator) setVariables(run.state, root, { [initiator]: options.startedBy ?? null });
    armEventSubProcesses(step, root, process.id);
    const token = run.newExecution(root, startEventId);
    schedule(step, () => enterNode(step, token, startEventId));
    // The starter rides along, so the realtime relay need not read the instance just written.
    run.emit({ type: 'instance.updated', rooms: [], people: options.startedBy ? [options.startedBy] : [], payload: { instanceId: id, status: 'active' } });
    return run;
  }

  /**
   * Runs every instance touched so far until all of their tokens wait; none may be left stuck.
   * One time budget covers every instance the command runs (a process calling itself starts
   * instance after instance, each of which would be quick on its own).
   */
  async settle(): Promise<void> {
    this.deadline ??= deadlineIn(engineLimits().maxCommandMs);
    while (true) {
      const pending = [...this.steps.values()].find((step) => step.agenda.length > 0);
      if (!pending) break;
      await drain(pending, this.deadline);
    }
    // What ran just before (the last steps, a command's answer made from ten thousand tasks) may
    // have held the loop: the check of every token comes after waiting requests had their turn.
    await yieldLoopIfHeld();
    for (const { run } of this.steps.values()) assertNotStuck(run);
  }

  /** Writes every touched instance, with the flush participants' rows around them. */
  async flush(): Promise<void> {
    const participants = flushParticipants();
    // The writes go out together (db/writeBatch.ts): one round trip for all of them, unless a
    // participant reads in between, which sends what came before it first. A large flush
    // (ten thousand tasks) lets waiting requests run between its parts, as the steps before it
    // do; the batch itself does between statements.
    const batch = batchWrites(this.trx);
    const context: FlushContext = { trx: batch.db, runs: [...this.steps.values()].map((step) => step.run), at: this.clock() };
    for (const participant of participants) {
      await batch.letOthersRun();
      await participant.beforeInstances?.(context);
    }
    for (const run of context.runs) {
      await batch.letOthersRun();
      await writeRun(batch.db, run, context.at);
      for (const participant of participants) {
        await batch.letOthersRun();
        await participant.instanceWritten?.(context, run);
      }
    }
    for (const participant of participants) {
      await batch.letOthersRun();
      await participant.afterInstances?.(context);
    }
    await batch.send();
  }

  /** The tasks this command opened and left open, in every instance it touched. */
  openedTasks(): NewTask[] {
    return [...this.steps.values()].flatMap(({ run }) =>
      run.tasks.filter((task) => !run.completedTaskIds.has(task.id) && !run.cancelledTaskIds.has(task.id) && run.heldTaskChanges.get(task.id) !== true),
    );
  }

  events(): DomainEvent[] {
    return [...this.steps.values()].flatMap(({ run }) => run.events);
  }

  // ---- RuntimeServices ---------------------------------------------------------------

  async latestProcess(key: string) {
    const definition = await latestDefinition(this.trx, key);
    return definition ? { definitionId: definition.id, process: definition.process } : null;
  }

  async startCalledInstance(caller: InstanceRun, callerExecution: Execution, processKey: string, variables: Record<string, unknown>) {
    const definition = await latestDefinition(this.trx, processKey);
    if (!definition) {
      throw new ValidationError(
        `Call activity "${callerExecution.elementId}" calls process "${processKey}", which is not deployed`,
        [{ pointer: callerExecution.elementId, message: `process ${processKey} is not deployed` }],
        'called_process_missing',
      );
    }
    return this.start(definition, {
      variables,
      businessKey: caller.record.businessKey,
      startedBy: caller.record.startedBy,
      parent: { instanceId: caller.id, executionId: callerExecution.id },
    });
  }

  async terminateCalledInstance(instanceId: string): Promise<void> {
    const child = await this.load(instanceId);
    if (child.record.status !== 'active' && child.record.status !== 'incident') return;
    for (const execution of child.state.executions) {
      if (execution.calledInstanceId) await this.terminateCalledInstance(execution.calledInstanceId);
    }
    await completeInstance(this.step(child), 'terminated');
  }

  async returnToCaller(child: InstanceRun): Promise<void> {
    const caller = await this.load(child.record.parentInstanceId!);
    const step = this.step(caller);
    const execution = caller.findExecution(child.record.parentExecutionId!);
    if (!execution) throw new ConflictError(`The call activity of instance ${caller.id} is gone`);
    schedule(step, () => returnFromCalledInstance(step, execution, child));
  }

  async throwErrorToCaller(child: InstanceRun, errorCode: string | undefined): Promise<boolean> {
    const caller = await this.load(child.record.parentInstanceId!);
    const execution = caller.findExecution(child.record.parentExecutionId!);
    if (!execution) return false;
    // A catching boundary interrupts the call activity, which terminates the called instance.
    const step = this.step(caller);
    const probe = caller.newExecution(execution, execution.elementId);
    const caught = await throwBpmnError(step, probe, errorCode);
    if (caller.findExecution(probe.id)) caller.removeTree(probe, false);
    return caught;
  }

  async throwSignal(source: InstanceRun, signalName: string, variables: Record<string, unknown>): Promise<void> {
    await this.broadcastSignal(signalName, variables, source.record.startedBy);
  }

  /** Delivers a signal to every subscription and starts every process with that signal start. */
  async broadcastSignal(signalName: string, variables: Record<string, unknown>, actor: string | null): Promise<number> {
    let delivered = 0;
    const stored = await findSignalSubscriptions(this.trx, signalName);
    const targets: Array<{ instanceId: string; executionId: string; elementId: string; stored: boolean }> = stored.map(
      (row) => ({ instanceId: row.instanceId!, executionId: row.executionId!, elementId: row.elementId, stored: true }),
    );
    // Subscriptions created earlier in this very command are not in the database yet.
    for (const { run } of this.steps.values()) {
      for (const subscription of run.subscriptions) {
        if (subscription.type === 'signal' && subscription.eventName === signalName) {
          targets.push({ ...subscription, stored: false });
        }
      }
    }
    for (const target of targets) {
      const run = await this.load(target.instanceId);
      // A stored subscription whose token moved on earlier in this command is void.
      if (target.stored && run.releasedExecutionIds.has(target.executionId)) continue;
      const step = this.step(run);
      schedule(step, () => fireEvent(step, target.executionId, target.elementId, variables));
      delivered += 1;
    }
    for (const start of await findStartSubscriptions(this.trx, 'signal', signalName)) {
      const definition = await definitionById(this.trx, start.definitionId!);
      if (definition) {
        this.start(definition, { variables, startEventId: start.elementId, startedBy: actor });
        delivered += 1;
      }
    }
    return delivered;
  }
}
