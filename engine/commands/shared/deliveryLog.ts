/**
 * Every delivery of a message or signal to an instance is logged in its `task_actions` with
 * the actor, like a task action, so the instance's history says who moved it.
 */
import type { AuthUser } from '../../identity/types.ts';
import type { UnitOfWork } from '../../runtime/unitOfWork.ts';
import { recordTaskAction } from '../../store/tasks.ts';

/** The log row of one delivery: task id = instance id, as for submit and withdraw. */
export function logDelivery(
  uow: UnitOfWork,
  instanceId: string,
  caller: AuthUser | undefined,
  details: Record<string, unknown>,
): Promise<void> {
  return recordTaskAction(uow.trx, {
    taskId: instanceId,
    instanceId,
    action: details.messageName !== undefined ? 'message' : 'signal',
    actor: caller?.username ?? null,
    details,
  });
}
