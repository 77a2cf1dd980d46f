/**
 * `tasks` (the caller's inbox, GET /api/inbox/:box: 待办 todo, 已办 done, 我发起的 started,
 * 抄送 cc) and `complete <task>` (POST /api/tasks/:id/complete, or /submit at a fill-in node).
 */
import { Option, type Command } from 'commander';
import { runOf, shortTime, table } from '../command.ts';
import { emit, usageError, type Io } from '../io.ts';
import { collect, parseVars, positiveInt } from '../options.ts';
import { nextTasksText } from './processes.ts';

interface InboxItem {
  id: string;
  taskId: string | null;
  name: string | null;
  instanceId: string;
  definitionKey: string;
  businessKey: string | null;
  createdAt: string;
  endedAt: string | null;
  dueAt?: string | null;
  assignee: string | null;
}

export function registerTasks(program: Command, io: Io): void {
  program
    .command('tasks')
    .description('your inbox: open tasks (todo), the ones you did (done), instances you started, CCs')
    .addOption(new Option('--box <box>', 'which box').choices(['todo', 'done', 'started', 'cc']).default('todo'))
    .option('--process <key>', 'only this process')
    .option('--search <text>', 'only items whose name, process or business key contain the text')
    .option('--page <n>', 'page number', positiveInt)
    .option('--page-size <n>', 'items per page (server default 20)', positiveInt)
    .action(async (options: { box: string; process?: string; search?: string; page?: number; pageSize?: number }, command: Command) => {
      const run = runOf(io, command);
      const query = new URLSearchParams();
      if (options.process) query.set('definitionKey', options.process);
      if (options.search) query.set('q', options.search);
      if (options.page) query.set('page', String(options.page));
      if (options.pageSize) query.set('pageSize', String(options.pageSize));
      const suffix = query.size ? `?${query}` : '';
      const page = await run.client().json<{ items: InboxItem[]; total: number }>('GET', `/api/inbox/${options.box}${suffix}`);
      emit(io, run.json, page, () => {
        if (page.items.length === 0) return `Nothing in ${options.box}.`;
        const started = options.box === 'started';
        const rows = page.items.map((item) => [
          item.id,
          item.name ?? '',
          item.definitionKey,
          item.businessKey ?? '',
          shortTime(item.createdAt),
          started || options.box === 'done' ? shortTime(item.endedAt) : shortTime(item.dueAt),
        ]);
        const header = [started ? 'INSTANCE' : 'TASK', 'NAME', 'PROCESS', 'BUSINESS KEY', 'CREATED', started || options.box === 'done' ? 'ENDED' : 'DUE'];
        return `${table(header, rows)}\n${page.items.length} of ${page.total}`;
      });
    });

  program
    .command('complete')
    .description('complete a task with variables (the form data of a form task), optionally approving or rejecting')
    .argument('<task>', 'the task id (from `liuzhuan tasks`)')
    .option('--var <name=value>', 'a variable or form field; repeat for more. JSON when it parses, else text', collect)
    .option('--approve', 'approve (an approval node)')
    .option('--reject', 'reject (an approval node)')
    .option('--submit', '提交 at a fill-in node')
    .option('--comment <text>', 'a comment for the history')
    .action(async (task: string, options: { var?: string[]; approve?: boolean; reject?: boolean; submit?: boolean; comment?: string }, command: Command) => {
      const run = runOf(io, command);
      if ([options.approve, options.reject, options.submit].filter(Boolean).length > 1) throw usageError('Give at most one of --approve, --reject, --submit');
      const variables = parseVars(options.var);
      const decision = options.approve ? 'approve' : options.reject ? 'reject' : undefined;
      const answer = await run.client().json<{ id: string; instanceId: string; status: string; nextTasks: { id: string; name: string | null; elementId: string; assignee: string | null }[]; nextTasksTotal?: number }>(
        'POST',
        `/api/tasks/${encodeURIComponent(task)}/${options.submit ? 'submit' : 'complete'}`,
        { variables, ...(decision ? { decision } : {}), ...(options.comment !== undefined ? { comment: options.comment } : {}) },
      );
      emit(io, run.json, answer, () => `Completed task ${answer.id}${decision ? ` (${decision})` : ''} of instance ${answer.instanceId}${nextTasksText(answer.nextTasks, answer.nextTasksTotal)}`);
    });
}
