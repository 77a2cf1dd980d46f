/**
 * Approval writes nothing while a run advances: what an approval node records (a skipped
 * node's task action) is buffered on the instance and written by the unit of work's flush,
 * like every other write of the run (issue #11). Before, `approval/flow.ts` inserted the row
 * through the command's transaction in the middle of the run.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/engine.ts';
import { EventBus } from '../../engine/events.ts';
import { UnitOfWork } from '../../engine/runtime/unitOfWork.ts';
import { latestDefinition } from '../../engine/store/definitions.ts';
import { useTestDatabase } from '../helpers/database.ts';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:liuzhuan="http://liuzhuan.dev/schema/bpmn/1.0" targetNamespace="t">
  <process id="buffered" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="review"/>
    <userTask id="review">
      <extensionElements>
        <liuzhuan:approval mode="all" fallback="skip"><liuzhuan:assignee type="user" value="nobody-by-this-name"/></liuzhuan:approval>
      </extensionElements>
    </userTask>
    <sequenceFlow id="f2" sourceRef="review" targetRef="after"/>
    <userTask id="after" camunda:assignee="alice"/><sequenceFlow id="f3" sourceRef="after" targetRef="e"/>
    <endEvent id="e"/>
  </process>
</definitions>`;

describe('approval writes', () => {
  const database = useTestDatabase();

  it('a skipped approval node records its task action at flush, nothing while the run advances', async () => {
    const engine = createEngine({ db: database.db, events: new EventBus() });
    await engine.deploy(XML);
    const writes: Array<{ phase: string; sql: string }> = [];
    let phase = 'run';
    // The flush's batch sends a statement as `PREPARE … AS insert …` the first time on a
    // connection and as `EXECUTE name(…)` afterwards (engine/db/writeBatch.ts): both are writes.
    const listen = (query: { sql: string }) => {
      if (/^\s*(insert|update|delete|prepare|execute)\b/i.test(query.sql)) writes.push({ phase, sql: query.sql });
    };
    const taskActionRows = async (trx: typeof database.db, id: string) =>
      Number((await trx('task_actions').where({ instance_id: id }).count({ n: '*' }))[0]!.n);
    database.db.on('query', listen);
    let instanceId = '';
    try {
      await database.db.transaction(async (trx) => {
        const uow = new UnitOfWork(trx, () => new Date());
        const run = uow.start((await latestDefinition(trx, 'buffered'))!, { startedBy: 'alice' });
        instanceId = run.id;
        await uow.settle();
        expect(await taskActionRows(trx, run.id)).toBe(0);
        phase = 'flush';
        await uow.flush();
        expect(await taskActionRows(trx, run.id)).toBe(1);
      });
    } finally {
      database.db.off('query', listen);
    }
    expect(writes.filter((write) => write.phase === 'run')).toEqual([]);
    expect(writes.some((write) => write.phase === 'flush')).toBe(true);
    const actions = await engine.taskActions(instanceId);
    expect(actions.map((action: { action: string }) => action.action)).toEqual(['skip']);
    expect((await engine.getInstance(instanceId)).activeElementIds).toEqual(['after']);
  });
});
