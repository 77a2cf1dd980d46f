/**
 * Starts a process from a record (`POST /api/forms/:key/records/:id/starts/:definitionKey`,
 * e.g. 发起回访 on a customer's profile card): the latest version of a process that declares it
 * starts from that form (engine/forms/recordStarts.ts), business key = the record id, started
 * by the caller, variables from the process's `startVariables` over the record. The caller
 * must be able to read the record (404 otherwise, as for reading it); a process that does not
 * start from this form is 409 `not_started_from_form`; one already running for this record is
 * 409 `already_running` naming it (details[0].params.instanceId), unless the process opts out
 * (startsFromOnce=false). One transaction, as any start; starts of the same process from the
 * same record queue on a transaction lock, so of two at once exactly one starts.
 */
import type { AuthUser } from '../identity/types.ts';
import { ConflictError, LiuzhuanError, NotFoundError } from '../errors.ts';
import { readRecord } from '../forms/records.ts';
import { lockRecordStart, recordStartVariables, runningFromRecord } from '../forms/recordStarts.ts';
import { latestDefinition } from '../store/definitions.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export interface StartFromRecordInput {
  formKey: string;
  recordId: string;
  definitionKey: string;
  user: AuthUser;
}

export interface StartedFromRecord {
  id: string;
  status: string;
  definitionKey: string;
  businessKey: string;
}

export async function startFromRecord(deps: CommandDeps, input: StartFromRecordInput): Promise<StartedFromRecord> {
  return runCommand(deps, async (uow) => {
    const record = await readRecord(uow.trx, input.formKey, input.recordId, input.user);
    const definition = await latestDefinition(uow.trx, input.definitionKey);
    if (!definition) throw new NotFoundError(`No process definition with key "${input.definitionKey}"`);
    if (definition.process.startsFrom?.formKey !== input.formKey) {
      throw new ConflictError(`Process "${input.definitionKey}" does not start from records of form "${input.formKey}"`, 'not_started_from_form');
    }
    if (!definition.process.startsFrom.many) {
      await lockRecordStart(uow.trx, definition.key, record.id);
      const running = await runningFromRecord(uow.trx, definition.key, record.id);
      if (running) {
        throw new LiuzhuanError(
          'already_running',
          `Process "${definition.key}" is already running for record ${record.id} (instance ${running}); it starts again once that one ends`,
          409,
          [{ pointer: running, message: 'the running instance', code: 'already_running', params: { instanceId: running } }],
        );
      }
    }
    const run = uow.start(definition, {
      variables: recordStartVariables(definition.process, record),
      businessKey: record.id,
      startedBy: input.user.username,
    });
    await uow.settle();
    return { id: run.id, status: run.record.status, definitionKey: definition.key, businessKey: record.id };
  });
}
