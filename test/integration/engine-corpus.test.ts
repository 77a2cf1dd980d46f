/**
 * Interop: the public Camunda 7 test models (test/fixtures/corpus, see SOURCES.md there)
 * deploy through the engine and behave as Camunda's own tests expect.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, useEngine } from '../helpers/engine.ts';

const t = useEngine();
const corpus = path.resolve(import.meta.dirname, '../fixtures/corpus');
const camunda = (name: string) => readFileSync(path.join(corpus, 'camunda', name), 'utf8');

async function deployModel(file: string) {
  const { definitions } = await t.engine.deploy(camunda(file));
  return definitions;
}

async function completeAll(instanceId: string, elementId: string, count?: number) {
  const tasks = (await t.openTasks(instanceId)).filter((task) => task.elementId === elementId);
  for (const task of tasks.slice(0, count ?? tasks.length)) {
    await t.engine.completeTask({ taskId: task.id, variables: {}, actor: ADMIN });
  }
}

describe('Camunda 7 corpus', () => {
  it('deploys every Camunda model', async () => {
    const files = readdirSync(path.join(corpus, 'camunda')).sort();
    const outcomes: string[] = [];
    for (const file of files) {
      const definitions = await deployModel(file);
      outcomes.push(`${file}: ${definitions.map((definition) => definition.key).join(', ')}`);
    }
    console.log(`deployed ${outcomes.length} of ${files.length} Camunda models`);
    expect(outcomes).toHaveLength(48);
  });

  it('ExclusiveGatewayTest.testDivergingExclusiveGateway picks the task by input', async () => {
    for (const input of [1, 2, 3]) {
      const { id } = await t.engine.startInstance({ definitionKey: 'exclusiveGwDiverging', variables: { input } });
      expect(await t.active(id)).toEqual([`theTask${input}`]);
    }
  });

  it('ParallelGatewayTest.testNestedForkJoin joins nested forks', async () => {
    const { id } = await t.engine.startInstance({ definitionKey: 'nestedForkJoin' });
    await t.complete(id, 'Task_0');
    expect(await t.active(id)).toEqual(['Task_A', 'Task_B']);
    await t.complete(id, 'Task_B');
    expect(await t.active(id)).toEqual(['Task_A', 'Task_B1', 'Task_B2']);
    await t.complete(id, 'Task_B1');
    await t.complete(id, 'Task_B2');
    expect(await t.active(id)).toEqual(['Join_AB', 'Task_A']);
    await t.complete(id, 'Task_A');
    expect(await t.active(id)).toEqual(['Task_C']);
  });

  it('InclusiveGatewayTest.testMergingInclusiveGateway merges conditional start flows into one task', async () => {
    for (const input of [1, 2, 3]) {
      const { id } = await t.engine.startInstance({ definitionKey: 'inclusiveGwMerging', variables: { input } });
      expect(await t.openTasks(id)).toHaveLength(1);
    }
  });

  it('MultiInstanceTest.testParallelUserTasksCompletionCondition ends after half completed', async () => {
    const { id } = await t.engine.startInstance({ definitionKey: 'miParallelUserTasksCompletionCondition' });
    const tasks = await t.engine.queryTasks({ instanceId: id });
    expect(tasks.map((task) => task.name).sort()).toEqual(['My Task 0', 'My Task 1', 'My Task 2', 'My Task 3', 'My Task 4']);
    await completeAll(id, 'miTasks', 2);
    expect(await t.status(id)).toBe('active');
    await completeAll(id, 'miTasks', 1);
    expect(await t.status(id)).toBe('completed');
  });

  it('BoundaryTimerNonInterruptingEventTest.testTimerWithCycle fires each cycle and keeps the task', async () => {
    const { id } = await t.engine.startInstance({ definitionKey: 'nonInterruptingCycle' });
    for (let round = 1; round <= 2; round += 1) {
      const [job] = await t.engine.listJobs({ instanceId: id });
      t.clock.advance(3600_000);
      await t.engine.executeJob(job!.id);
      expect((await t.openTasks(id)).filter((task) => task.elementId === 'timerFiredTask')).toHaveLength(round);
    }
    expect(await t.engine.listJobs({ instanceId: id })).toHaveLength(1);
    await t.complete(id, 'task');
    expect(await t.engine.listJobs({ instanceId: id })).toHaveLength(0);
  });

  it('MessageStartEventTest.testSingleMessageStartEvent starts by the tns: message', async () => {
    const started = await t.engine.correlateMessage({ messageName: 'newInvoiceMessage' });
    expect(started.started).toBe(true);
  });

  it('CallActivity.testCallSimpleSubProcess waits for the called process', async () => {
    const { id } = await t.engine.startInstance({ definitionKey: 'callSimpleSubProcess' });
    await t.complete(id, 'taskBeforeSubProcess');
    expect(await t.active(id)).toEqual(['callSubProcess']);
    const child = await t.engine.deps.db('process_instances').where({ parent_instance_id: id }).first();
    await t.complete(child.id, 'task');
    expect(await t.active(id)).toEqual(['taskAfterSubProcess']);
  });

  it('ErrorEventSubProcessTest.testEventSubprocessTakesPrecedence', async () => {
    const { id } = await t.engine.startInstance({ definitionKey: 'CatchErrorInEmbeddedSubProcess' });
    expect((await t.openTasks(id)).map((task) => task.elementId)).toEqual(['taskAfterErrorCatch']);
  });

  it('EventBasedGatewayTest.testCatchSignalAndMessageAndTimer takes the message branch', async () => {
    // Several corpus files share the process id `catchSignal`: make this one the latest.
    await deployModel('EventBasedGatewayTest.testCatchSignalAndMessageAndTimer.bpmn20.xml');
    const { id } = await t.engine.startInstance({ definitionKey: 'catchSignal', businessKey: 'ebg-corpus' });
    await t.engine.correlateMessage({ messageName: 'newInvoice', correlationKey: 'ebg-corpus' });
    expect((await t.openTasks(id)).map((task) => [task.elementId, task.assignee])).toEqual([['task3', 'kermit']]);
    expect(await t.engine.listJobs({ instanceId: id })).toHaveLength(0);
  });
});
