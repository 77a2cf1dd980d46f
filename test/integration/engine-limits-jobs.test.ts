/**
 * A limit hit in a job-triggered step (issue #10, finding 2): a timer that leads into a
 * multi-instance of 1e9 does not crash the node; the step fails like any failing job —
 * retried, then an incident on the instance naming the element and the limit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { JobExecutor } from '../../engine/jobs/executor.ts';
import { bpmn, flow, useEngine } from '../helpers/engine.ts';

const t = useEngine();
const HOUR = 3_600_000;
let executor: JobExecutor;

beforeAll(() => {
  executor = t.engine.createJobExecutor({ nodeId: 'limits-test', retry: { baseMs: 1_000, maxMs: 1_000 } });
});

describe('a limit hit after a timer', () => {
  it('becomes an incident naming the multi-instance, not a crash', async () => {
    await t.deploy(
      bpmn(`<process id="lateHuge" isExecutable="true">
        <startEvent id="s"/>
        <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
        <userTask id="sign" camunda:assignee="admin">
          <multiInstanceLoopCharacteristics><loopCardinality>\${n}</loopCardinality></multiInstanceLoopCharacteristics>
        </userTask>
        ${flow('s', 'wait')}${flow('wait', 'sign')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'lateHuge', variables: { n: 1_000_000_000 } });
    t.clock.advance(HOUR);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(await executor.runDueJobsOnce()).toMatchObject({ retried: 1 });
      t.clock.advance(1_000);
    }
    expect(await executor.runDueJobsOnce()).toMatchObject({ incidents: 1 });
    const instance = await t.engine.getInstance(id);
    expect(instance.status).toBe('incident');
    expect(instance.activeElementIds).toEqual(['wait']);
    expect(instance.incidents).toEqual([
      expect.objectContaining({ elementId: 'wait', message: expect.stringMatching(/"sign" asks for a loop cardinality of 1000000000; at most 1000/) }),
    ]);
  });
});
