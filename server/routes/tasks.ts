/** User tasks: query open tasks, claim, complete (validated against the task's form). */
import { Router } from 'express';
import { ForbiddenError, NotFoundError } from '../../engine/errors.ts';
import { mayWorkOn } from '../../engine/commands/taskCommands.ts';
import type { TaskRow } from '../../engine/store/tasks.ts';
import type { AppContext } from '../context.ts';
import { requireUser } from '../http/auth.ts';
import { bodyObject, optionalObject, optionalString, queryString } from '../http/input.ts';

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
    status: task.status,
  };
}

export function taskRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/tasks', async (req, res) => {
    const user = requireUser(req);
    const tasks = await ctx.engine.queryTasks({
      instanceId: queryString(req.query.instanceId, 'instanceId'),
      assignee: queryString(req.query.assignee, 'assignee'),
      candidateGroup: queryString(req.query.candidateGroup, 'candidateGroup'),
      candidateUser: queryString(req.query.candidateUser, 'candidateUser'),
    });
    // Staff see the tasks they could work on; admins see all.
    res.json(tasks.filter((task) => mayWorkOn(task, user)).map(taskView));
  });

  router.get('/tasks/:id', async (req, res) => {
    const user = requireUser(req);
    const task = await ctx.engine.findTask(req.params.id);
    if (!task) throw new NotFoundError(`Task ${req.params.id} does not exist`);
    if (!mayWorkOn(task, user)) throw new ForbiddenError(`Task ${task.id} is not assigned to you`);
    res.json(taskView(task));
  });

  router.post('/tasks/:id/claim', async (req, res) => {
    const user = requireUser(req);
    await ctx.engine.claimTask({ taskId: req.params.id, actor: user });
    res.json(taskView((await ctx.engine.findTask(req.params.id))!));
  });

  router.post('/tasks/:id/complete', async (req, res) => {
    const user = requireUser(req);
    const body = req.body === undefined ? {} : bodyObject(req.body);
    const result = await ctx.engine.completeTask({
      taskId: req.params.id,
      variables: optionalObject(body, 'variables'),
      comment: optionalString(body, 'comment') ?? null,
      actor: user,
    });
    res.json({ id: req.params.id, instanceId: result.instanceId, status: 'completed' });
  });

  return router;
}
