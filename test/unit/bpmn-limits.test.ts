/**
 * Deploy-time limits against runaway models (issue #10, findings 11 and 12): parallel joins
 * that can never fire, models above the size limit, constant multi-instance sizes above the
 * cardinality limit, timer cycles firing more often than the minimum interval, and durations
 * no date can hold. Legitimate loops must still deploy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import { ValidationError, type ErrorDetail } from '../../engine/errors.ts';
import { configureEngineLimits } from '../../engine/limits.ts';
import { parseQuartz, shortestCronGapMs } from '../../engine/timers/cron.ts';
import { checkTimer, resolveTimer } from '../../engine/timers/index.ts';

const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="t"';

function bpmn(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><definitions id="d" ${NS}><process id="p" isExecutable="true">${body}</process></definitions>`;
}

function flow(source: string, target: string, condition?: string): string {
  const id = `${source}-${target}`;
  if (!condition) return `<sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"/>`;
  return `<sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"><conditionExpression xsi:type="tFormalExpression">${condition}</conditionExpression></sequenceFlow>`;
}

async function problems(xml: string): Promise<ErrorDetail[]> {
  try {
    await compileBpmn(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details ?? [];
  }
  return [];
}

afterEach(() => configureEngineLimits());

describe('parallel joins that can never fire', () => {
  it('refuses a join fed by its own outgoing flow', async () => {
    const found = await problems(
      bpmn(`<startEvent id="s"/><parallelGateway id="join"/><endEvent id="e"/>${flow('s', 'join')}${flow('join', 'join')}${flow('join', 'e')}`),
    );
    expect(found).toEqual([expect.objectContaining({ pointer: 'join', message: expect.stringMatching(/can never fire/) })]);
  });

  it('refuses a join fed from after itself, also inside a sub-process', async () => {
    const found = await problems(
      bpmn(`<startEvent id="s"/><subProcess id="sub">
          <startEvent id="in"/><parallelGateway id="join"/><task id="a"/><exclusiveGateway id="x" default="x-out"/><endEvent id="out"/>
          ${flow('in', 'join')}${flow('join', 'a')}${flow('a', 'x')}${flow('x', 'join', '${again}')}${flow('x', 'out')}
        </subProcess><endEvent id="e"/>${flow('s', 'sub')}${flow('sub', 'e')}`),
    );
    expect(found).toEqual([expect.objectContaining({ pointer: 'join', message: expect.stringMatching(/'x-join' comes from 'x', after the gateway/) })]);
  });

  it('deploys loops that come back before the fork, joins after forks, and joins reached from boundary events', async () => {
    expect(
      await problems(
        bpmn(`<startEvent id="s"/><exclusiveGateway id="merge"/><parallelGateway id="fork"/><task id="a"/><task id="b"/>
          <parallelGateway id="join"/><exclusiveGateway id="x" default="x-e"/><endEvent id="e"/>
          ${flow('s', 'merge')}${flow('merge', 'fork')}${flow('fork', 'a')}${flow('fork', 'b')}${flow('a', 'join')}${flow('b', 'join')}
          ${flow('join', 'x')}${flow('x', 'merge', '${again}')}${flow('x', 'e')}`),
      ),
    ).toEqual([]);
    expect(
      await problems(
        bpmn(`<startEvent id="s"/><parallelGateway id="fork"/><userTask id="a"/><task id="b"/>
          <boundaryEvent id="late" attachedToRef="a" cancelActivity="false"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
          <parallelGateway id="join"/><endEvent id="e"/>
          ${flow('s', 'fork')}${flow('fork', 'a')}${flow('fork', 'b')}${flow('late', 'join')}${flow('b', 'join')}${flow('a', 'e')}${flow('join', 'e')}`),
      ),
    ).toEqual([]);
  });
});

describe('model size', () => {
  it('refuses a process with more flow nodes and sequence flows than allowed, in one problem', async () => {
    configureEngineLimits({ maxModelElements: 6 });
    const tasks = ['a', 'b', 'c'].map((id) => `<task id="${id}"/>`).join('');
    const xml = bpmn(`<startEvent id="s"/>${tasks}<endEvent id="e"/>${flow('s', 'a')}${flow('a', 'b')}${flow('b', 'c')}${flow('c', 'e')}`);
    expect(await problems(xml)).toEqual([
      expect.objectContaining({ pointer: 'p', message: "process 'p' has 9 elements (flow nodes and sequence flows); at most 6 are allowed (LIUZHUAN_MAX_MODEL_ELEMENTS)" }),
    ]);
    configureEngineLimits({ maxModelElements: 9 });
    expect(await problems(xml)).toEqual([]);
  });
});

describe('multi-instance cardinality at deploy', () => {
  const mi = (cardinality: string) =>
    bpmn(`<startEvent id="s"/><task id="each"><multiInstanceLoopCharacteristics><loopCardinality>${cardinality}</loopCardinality></multiInstanceLoopCharacteristics></task>${flow('s', 'each')}`);

  it('refuses a constant above the limit and leaves expressions to run time', async () => {
    expect(await problems(mi('1000000000'))).toEqual([expect.objectContaining({ pointer: 'each', message: expect.stringMatching(/loopCardinality 1000000000 is more than the 1000/) })]);
    expect(await problems(mi('${5000}'))).toEqual([expect.objectContaining({ pointer: 'each' })]);
    expect(await problems(mi('1000'))).toEqual([]);
    expect(await problems(mi('${n}'))).toEqual([]);
  });
});

describe('timers', () => {
  it('refuses cycles that fire more often than the minimum interval, which is configurable', () => {
    expect(checkTimer('cycle', 'R/PT0.001S')).toMatch(/fires every 1 ms; the shortest allowed interval is 1 min \(LIUZHUAN_MIN_TIMER_CYCLE_MS\)/);
    expect(checkTimer('cycle', 'R5/PT30S')).toMatch(/fires every 30 s/);
    expect(checkTimer('cycle', 'R/PT1M')).toBeNull();
    expect(checkTimer('cycle', '0/10 * * * * ?')).toMatch(/fires every 10 s/);
    expect(checkTimer('cycle', '0 * * * * ?')).toBeNull();
    expect(() => resolveTimer('cycle', 'R/PT1S', new Date('2026-01-01T00:00:00Z'))).toThrow(/fires every 1 s/);
    configureEngineLimits({ minTimerCycleMs: 1_000 });
    expect(checkTimer('cycle', 'R/PT1S')).toBeNull();
  });

  it('finds the shortest gap of a cron schedule, across midnight too', () => {
    const gap = (text: string) => shortestCronGapMs(parseQuartz(text));
    expect(gap('0 0/5 * * * ?')).toBe(300_000);
    expect(gap('0,30 * * * * ?')).toBe(30_000);
    expect(gap('0 0 12 * * ?')).toBe(86_400_000);
    // 00:00, 00:59, 23:00, 23:59 — and 23:59 → 00:00 the next day is one minute.
    expect(gap('0 0,59 0,23 * * ?')).toBe(60_000);
  });

  it('refuses durations no date can hold, at deploy and when resolved', () => {
    expect(checkTimer('duration', 'P99999999999Y')).toMatch(/longer than 1000 years/);
    expect(checkTimer('duration', 'PT99999999999999999999S')).toMatch(/longer than 1000 years/);
    expect(checkTimer('cycle', 'R/P99999999999Y')).toMatch(/longer than 1000 years/);
    expect(checkTimer('duration', 'P999Y')).toBeNull();
    expect(() => resolveTimer('duration', 'P99999999999Y', new Date())).toThrow(/longer than 1000 years/);
  });
});
