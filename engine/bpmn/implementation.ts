/**
 * What a service, send or plain task does (ServiceTaskSettings). Liuzhuan runs no user code:
 * Camunda's Java delegates and external tasks are refused at deploy with the alternative named;
 * `camunda:expression` runs through the safe expression evaluator; a Camunda 8 job type runs as
 * the effect of that name or is refused (zeebe.ts).
 */
import type { CompileContext } from './context.ts';
import type { ServiceTaskSettings } from './model.ts';
import { describe, extensions, text, type ModdleElement } from './moddleAccess.ts';
import { effectSettings, setVariablesSettings } from './liuzhuan.ts';
import { zeebeTaskImplementation } from './zeebe.ts';

const JAVA_HINT = 'Java delegates are not supported: use liuzhuan:setVariables or a liuzhuan:Effect';

/**
 * The task's implementation; `kind: 'none'` when it has none. For a plain `task` (which has
 * no implementation attributes in BPMN) undefined is returned unless a liuzhuan element is set.
 */
export function implementationOf(ctx: CompileContext, el: ModdleElement): ServiceTaskSettings | undefined {
  const id = el.id;
  const what = describe(el);
  if (text(el, 'camunda:class')) ctx.problem(id, `${what} uses camunda:class. ${JAVA_HINT}`);
  if (text(el, 'camunda:delegateExpression')) ctx.problem(id, `${what} uses camunda:delegateExpression. ${JAVA_HINT}`);
  if (text(el, 'camunda:type') === 'external' || text(el, 'camunda:topic')) {
    ctx.problem(id, `${what} is a Camunda external task (camunda:type="external"). ${JAVA_HINT}`);
  }
  const found: ServiceTaskSettings[] = [];
  const expression = text(el, 'camunda:expression');
  if (expression) {
    const resultVariable = text(el, 'camunda:resultVariable');
    found.push({
      kind: 'expression',
      expression: ctx.expression(id, 'camunda:expression', expression, 'juel'),
      ...(resultVariable ? { resultVariable } : {}),
    });
  }
  for (const setVariables of extensions(el, 'liuzhuan:SetVariables')) found.push(setVariablesSettings(ctx, el, setVariables));
  for (const effect of extensions(el, 'liuzhuan:Effect')) found.push(effectSettings(ctx, el, effect));
  // A Camunda 8 job type: one of our effects, or refused (zeebe.ts).
  const zeebeTask = zeebeTaskImplementation(ctx, el);
  if (zeebeTask) found.push(zeebeTask);
  if (found.length > 1) {
    ctx.problem(id, `${what} has ${found.length} implementations (camunda:expression, liuzhuan:setVariables, liuzhuan:effect, zeebe:taskDefinition): keep one`);
  }
  if (found.length > 0) return found[0];
  return el.$type === 'bpmn:Task' ? undefined : { kind: 'none' };
}

/** liuzhuan implementation elements on a task type that cannot run them. */
export function refuseMisplacedImplementation(ctx: CompileContext, el: ModdleElement): void {
  const misplaced = [...extensions(el, 'liuzhuan:SetVariables'), ...extensions(el, 'liuzhuan:Effect')];
  if (misplaced.length > 0) {
    ctx.problem(el.id, `${describe(el)}: liuzhuan:setVariables and liuzhuan:effect belong on a serviceTask, sendTask or task`);
  }
}
