/** `deploy <file.bpmn>` (POST /api/definitions, admins) and `start <key>` (POST /api/instances). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { runOf } from '../command.ts';
import { emit, usageError, type Io } from '../io.ts';
import { collect, parseVars } from '../options.ts';

interface TaskView {
  id: string;
  name: string | null;
  elementId: string;
  assignee: string | null;
}

/** The tasks a command opened that the caller may work on (the answers' `nextTasks`, the first 100 of `nextTasksTotal`). */
export function nextTasksText(tasks: TaskView[] | undefined, total = tasks?.length ?? 0): string {
  if (!tasks?.length) return '';
  const more = total > tasks.length ? `\n  … and ${total - tasks.length} more (liuzhuan tasks)` : '';
  return `\nNext:\n${tasks.map((task) => `  ${task.id}  ${task.name ?? task.elementId}${task.assignee ? ` (${task.assignee})` : ''}`).join('\n')}${more}`;
}

export function registerProcesses(program: Command, io: Io): void {
  program
    .command('deploy')
    .description('deploy a BPMN 2.0 file (Camunda/Zeebe extensions read); each process in it gets its next version (admins)')
    .argument('<file.bpmn>', 'the BPMN XML file')
    .action(async (file: string, _options: unknown, command: Command) => {
      const run = runOf(io, command);
      let xml: string;
      try {
        xml = await readFile(path.resolve(io.cwd, file), 'utf8');
      } catch (error) {
        throw usageError(`Cannot read ${file}: ${(error as Error).message}`);
      }
      const answer = await run.client().json<{
        definitions: { id: string; key: string; version: number; name: string | null }[];
        warnings: { elementId?: string; line?: number; column?: number; message: string }[];
      }>('POST', '/api/definitions', { xml });
      emit(io, run.json, answer, () =>
        [
          ...answer.definitions.map((d) => `Deployed ${d.key} version ${d.version}${d.name ? ` (${d.name})` : ''}: ${d.id}`),
          ...(answer.warnings ?? []).map((w) => `warning: ${[w.elementId, w.line !== undefined ? `line ${w.line}` : ''].filter(Boolean).join(', ')}: ${w.message}`),
        ].join('\n'),
      );
    });

  program
    .command('start')
    .description('start an instance of the latest version of a process')
    .argument('<key>', 'the process key (the BPMN process id)')
    .option('--var <name=value>', 'a variable; repeat for more. The value is read as JSON when it parses (42, true, "007", [1,2]), else as text', collect)
    .option('--business-key <key>', 'the business key of the instance')
    .action(async (key: string, options: { var?: string[]; businessKey?: string }, command: Command) => {
      const run = runOf(io, command);
      const variables = parseVars(options.var);
      const answer = await run.client().json<{ id: string; definitionKey?: string; status?: string; nextTasks: TaskView[]; nextTasksTotal?: number }>('POST', '/api/instances', {
        definitionKey: key,
        variables,
        ...(options.businessKey !== undefined ? { businessKey: options.businessKey } : {}),
      });
      emit(io, run.json, answer, () => `Started ${key}: instance ${answer.id}${answer.status ? ` (${answer.status})` : ''}${nextTasksText(answer.nextTasks, answer.nextTasksTotal)}`);
    });
}
