/**
 * Who may correlate a message or throw a signal from outside the engine, and what it may
 * carry — read from the model (`liuzhuan:access`, `liuzhuan:variables` on the `<message>` or
 * `<signal>`, see bpmn/model.ts `EventAccess`). Without a caller the command comes from engine
 * code (a test, a process) and is trusted.
 *
 * - `admin` (the default): admins only; anyone else gets 403 `event_forbidden`.
 * - `involved`: admins and those who may read the target instance (a signal: every instance
 *   it reaches). For a message anyone else gets the same 404 as when nothing waits, so the
 *   instance's existence is not revealed; for a signal 403. A start event has no instance
 *   yet, so there it means admins only.
 * - `public`: any logged-in user.
 * Variables: with `liuzhuan:variables` only those names, for everyone; without it admins may
 * send any and others none. Others → 422 `variables_not_allowed`, one detail per name.
 * Starting a process bound to a form is what submitting the form does: a message or signal
 * from outside may not start one (422 `form_required`, see engine/forms/flowSubmit.ts).
 */
import type { EventAccess, FlowNode, CompiledProcess } from '../../bpmn/model.ts';
import type { Db } from '../../db/connection.ts';
import { ForbiddenError, NotFoundError, pointerToken, ValidationError } from '../../errors.ts';
import { mayReadInstance } from '../../identity/instanceAccess.ts';
import type { AuthUser } from '../../identity/types.ts';

export interface EventTarget {
  kind: 'message' | 'signal';
  name: string;
  node: FlowNode | undefined;
  /** The waiting instance, or null for a start event. */
  instanceId: string | null;
  /** The process of a start event (for the form binding check). */
  process?: CompiledProcess;
}

function accessOf(node: FlowNode | undefined): EventAccess {
  const event = node?.event;
  return event && (event.type === 'message' || event.type === 'signal') ? event : {};
}

export async function assertMayDeliver(
  db: Db,
  caller: AuthUser | undefined,
  target: EventTarget,
  variables: Record<string, unknown>,
): Promise<void> {
  if (!caller) return;
  const { access = 'admin', variables: allowed } = accessOf(target.node);
  const what = `${target.kind} "${target.name}"`;
  if (caller.role !== 'admin' && access !== 'public') {
    const forInstance = access === 'involved' && target.instanceId !== null;
    if (!forInstance || !(await mayReadInstance(db, caller, target.instanceId!))) {
      if (forInstance && target.kind === 'message') {
        throw new NotFoundError(`No instance waits for ${what} that you may send it to`, 'message_not_correlated');
      }
      const who = forInstance ? 'those involved in the instance' : 'an admin';
      throw new ForbiddenError(`Only ${who} may send ${what}${target.instanceId ? '' : ' to start a process'}`, 'event_forbidden');
    }
  }
  const refused = Object.keys(variables).filter((name) =>
    allowed ? !allowed.includes(name) : caller.role !== 'admin',
  );
  if (refused.length > 0) {
    const rule = allowed ? `it may carry only: ${allowed.join(', ') || '(nothing)'}` : 'it declares no variables (liuzhuan:variables)';
    throw new ValidationError(
      `${what} may not carry ${refused.map((name) => `"${name}"`).join(', ')}: ${rule}`,
      refused.map((name) => ({ pointer: `/variables/${pointerToken(name)}`, message: `not allowed: ${rule}` })),
      'variables_not_allowed',
    );
  }
  if (target.instanceId === null && target.process?.formKey) {
    const formKey = target.process.formKey;
    throw new ValidationError(
      `Process "${target.process.id}" is bound to form "${formKey}": start it by submitting the form (POST /api/forms/${formKey}/submit)`,
      [{ pointer: target.node?.id ?? target.process.id, message: `bound to form ${formKey}` }],
      'form_required',
    );
  }
}
