/**
 * User tasks: query open tasks, the task's form (field permissions applied), claim,
 * complete / approve / reject / submit (validated against the form and the node's field
 * permissions), transfer, return; withdrawing an instance and its action log, which the
 * approval screens use alongside the task actions.
 */
import { Router, type Request, type Response } from 'express';
import { ValidationError, type TaskDecision, type TaskRow } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { bodyObject, optionalObject, optionalString, queryString, requiredString } from '../http/input.ts';

function decisionOf(body: Record<string, unknown>): TaskDecision | undefined {
  const decision = optionalString(body, 'decision');
  if (decision === undefined || decision === 'approve' || decision === 'reject') return decision;
  throw new ValidationError('"decision" must be "approve" or "reject"', [{ pointer: '/decision', message: 'approve or reject' }]);
}

export function taskView(task: TaskRow) {
  return {
    id: task.id,
    instanceId: task.instanceId,
    elementId: task.elementId,
    name: task.name,
    formKey: task.formKey,
    assignee: task.assignee,
    candidateUsers: task.candidateUsers,
    candidateGroups: task.candidateGroups,
    priority: task.priority,
    dueAt: task.dueAt,
    createdAt: task.createdAt,
    // A task on hold for a signer added before its assignee (前加签) shows as `held`.
    status: task.held && task.status === 'open' ? 'held' : task.status,
  };
}

export function taskRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/tasks', async (req, res) => {
    const user = requireUser(req);
    // Staff see the tasks they could work on; admins see all.
    const tasks = await ctx.engine.tasksFor(user, {
      instanceId: queryString(req.query.instanceId, 'instanceId'),
      assignee: queryString(req.query.assignee, 'assignee'),
      candidateGroup: queryString(req.query.candidateGroup, 'candidateGroup'),
      candidateUser: queryString(req.query.candidateUser, 'candidateUser'),
    });
    res.json(tasks.map(taskView));
  });

  router.get('/tasks/:id', async (req, res) => {
    const user = requireUser(req);
    const task = await ctx.engine.taskFor(user, req.params.id);
    res.json({ ...taskView(task), approval: await ctx.engine.taskApproval(task) });
  });

  router.post('/tasks/:id/claim', async (req, res) => {
    const user = requireUser(req);
    await ctx.engine.claimTask({ taskId: req.params.id, actor: user });
    res.json(taskView((await ctx.engine.findTask(req.params.id))!));
  });

  router.get('/tasks/:id/form', async (req, res) => {
    const user = requireUser(req);
    const task = await ctx.engine.taskFor(user, req.params.id);
    res.json({ task: taskView(task), ...(await ctx.engine.taskForm(task, user)), approval: await ctx.engine.taskApproval(task) });
  });

  /** 加签 `{username, position: 'before'|'after', comment?}` → the caller's task and the added one. */
  router.post('/tasks/:id/add-signer', async (req, res) => {
    const user = requireUser(req);
    const body = bodyObject(req.body);
    const position = requiredString(body, 'position');
    if (position !== 'before' && position !== 'after') {
      throw new ValidationError('"position" must be "before" or "after"', [{ pointer: '/position', message: 'before or after' }]);
    }
    const result = await ctx.engine.addSigner({
      taskId: req.params.id,
      username: requiredString(body, 'username'),
      position,
      comment: optionalString(body, 'comment') ?? null,
      actor: user,
    });
    const [task, added] = [await ctx.engine.findTask(req.params.id), await ctx.engine.findTask(result.addedTaskId)];
    res.json({ task: taskView(task!), addedTask: added ? taskView(added) : null, approval: await ctx.engine.taskApproval(added ?? task!) });
  });

  /**
   * `/complete {variables, decision?, comment?}`; `/approve` and `/reject` fix the decision;
   * `/submit {variables, comment?}` is 提交 at a fill-in node (no decision).
   */
  const complete = (fixed?: TaskDecision | 'submit') => async (req: Request, res: Response) => {
    const user = requireUser(req);
    const body = req.body === undefined ? {} : bodyObject(req.body);
    const result = await ctx.engine.completeTask({
      taskId: req.params.id as string,
      variables: optionalObject(body, 'variables'),
      comment: optionalString(body, 'comment') ?? null,
      ...(fixed === 'submit' ? { submit: true } : { decision: fixed ?? decisionOf(body) }),
      actor: user,
    });
    res.json({ id: req.params.id, instanceId: result.instanceId, status: 'completed', nextTasks: result.nextTasks.map(taskView), nextTasksTotal: result.nextTasksTotal });
  };
  router.post('/tasks/:id/complete', complete());
  router.post('/tasks/:id/approve', complete('approve'));
  router.post('/tasks/:id/reject', complete('reject'));
  router.post('/tasks/:id/submit', complete('submit'));

  router.post('/tasks/:id/transfer', async (req, res) => {
    const user = requireUser(req);
    const body = bodyObject(req.body);
    await ctx.engine.transferTask({
      taskId: req.params.id,
      to: requiredString(body, 'to'),
      comment: optionalString(body, 'comment') ?? null,
      actor: user,
    });
    res.json(taskView((await ctx.engine.findTask(req.params.id))!));
  });

  router.post('/tasks/:id/return', async (req, res) => {
    const user = requireUser(req);
    const body = bodyObject(req.body);
    await ctx.engine.returnTask({
      taskId: req.params.id,
      toElementId: requiredString(body, 'toElementId'),
      comment: optionalString(body, 'comment') ?? null,
      actor: user,
    });
    res.json(taskView((await ctx.engine.findTask(req.params.id))!));
  });

  router.post('/instances/:id/withdraw', async (req, res) => {
    const user = requireUser(req);
    const body = req.body === undefined ? {} : bodyObject(req.body);
    await ctx.engine.withdrawInstance({ instanceId: req.params.id, comment: optionalString(body, 'comment') ?? null, actor: user });
    res.json(await ctx.engine.getInstance(req.params.id));
  });

  /** Progress of each approval node the instance is at ("2 of 3 approved"). */
  router.get('/instances/:id/approvals', async (req, res) => {
    await ctx.engine.assertMayReadInstance(requireUser(req), req.params.id);
    res.json(await ctx.engine.instanceApprovals(req.params.id));
  });

  router.get('/instances/:id/actions', async (req, res) => {
    await ctx.engine.assertMayReadInstance(requireUser(req), req.params.id);
    res.json(await ctx.engine.taskActions(req.params.id));
  });

  return router;
}
