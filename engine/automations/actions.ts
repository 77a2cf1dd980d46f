/**
 * The five automation actions. They run inside the transaction of their automation's run
 * (each in its own savepoint, see runner.ts), so everything they write — records, the
 * follow-up `automation:run` jobs those records trigger (chain extended), a started instance,
 * effect jobs, notifications — commits together with the run row, or not at all. Records are
 * validated against their form exactly like API input; an invalid result fails the action.
 * The expressions of one run (filter and every action's) share one time budget, `sequence`
 * (runner.ts, expressions/sequenceBudget.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { EventBus } from '../events.ts';
import { evaluateExpression } from '../expressions/index.ts';
import type { Sequence } from '../expressions/sequenceBudget.ts';
import { compiledForm } from '../forms/compiled.ts';
import { assertValidData } from '../forms/validator.ts';
import { notify } from '../notifications/notify.ts';
import type { FormShape } from '../notifications/handlebars.ts';
import { correlateMessage } from '../commands/correlateMessage.ts';
import { startInstance } from '../commands/startInstance.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { insertJobs } from '../store/jobs.ts';
import { insertRecord, updateRecord } from '../store/records.ts';
import { feel } from './definition.ts';
import { queueRecordAutomations } from './queue.ts';
import { decryptPersonal } from '../privacy/crypto.ts';

/** `db` is the action's savepoint; `events` collects what to publish after the commit; `sequence` bounds the run's expressions. */
export interface AutomationDeps {
  db: Knex;
  events: EventBus;
  clock: () => Date;
  sequence: Sequence;
}

/** What the actions of one run see of their trigger. */
export interface TriggerScope {
  trigger: string;
  automationId: string;
  recordId: string | null;
  /** FEEL variables: the record's fields (or the instance's variables) plus `record`/`processInstance`. */
  variables: Record<string, unknown>;
  /** Template data for notify (record fields, `fields`, `record`). */
  templateData: Record<string, unknown>;
  form?: FormShape;
  /** Who the changes are attributed to: the user whose change triggered the chain. */
  actorId: string | null;
  /** The chain up to and including this automation: what its changes pass on. */
  chain: string[];
}

/** FEEL `null` means "no value": the field is left out rather than stored as null. `at`: where the expressions are (`data`, `set`…). */
async function evaluateAll(sequence: Sequence, at: string, expressions: Record<string, string> | undefined, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, expr] of Object.entries(expressions ?? {})) {
    const value = await sequence.evaluate(`${at}/${name}`, () => evaluateExpression(feel(expr), variables));
    if (value !== null && value !== undefined) out[name] = value;
  }
  return out;
}

const MAX_UPDATED = 100;

/** A business key is text: FEEL numbers become their decimal text, null means none. */
async function businessKeyOf(sequence: Sequence, at: string, expression: string, variables: Record<string, unknown>): Promise<string | null> {
  const value = await sequence.evaluate(at, () => evaluateExpression(feel(expression), variables));
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new Error(`startProcess: the business key must be text, got ${typeof value}`);
}

/** `at`: the action's place in its automation (`actions/2`), naming where the run's budget ran out. */
export async function runAction(deps: AutomationDeps, action: Record<string, any>, scope: TriggerScope, at: string): Promise<void> {
  const { db, sequence } = deps;
  switch (action.type) {
    case 'createRecord': {
      const form = await compiledForm(db, action.formKey);
      const data = await evaluateAll(sequence, `${at}/data`, action.data, scope.variables);
      await assertValidData(form.errorsOf, data, 'zh-CN');
      const record = await insertRecord(db, { formKey: action.formKey, formVersion: form.version, data, createdBy: scope.actorId });
      await queueRecordAutomations(db, 'record.created', record, scope.actorId, scope.chain, deps.clock());
      return;
    }
    case 'updateRecord': {
      const form = await compiledForm(db, action.formKey);
      const set = await evaluateAll(sequence, `${at}/set`, action.set, scope.variables);
      let rows: any[];
      if (action.match && Object.keys(action.match).length > 0) {
        const match = await evaluateAll(sequence, `${at}/match`, action.match, scope.variables);
        if (Object.keys(match).length === 0) throw new Error('updateRecord: every match expression was null');
        // JSONB containment: uses the GIN index on records.data.
        rows = await db('records').where({ form_key: action.formKey }).whereRaw('data @> ?::jsonb', [JSON.stringify(match)]).limit(MAX_UPDATED);
      } else {
        // No match: the record this run is for (a record or schedule trigger on that form).
        if (!scope.recordId) throw new Error('updateRecord: no match expressions and no record triggered this run');
        rows = await db('records').where({ form_key: action.formKey, id: scope.recordId });
        if (rows.length === 0) throw new Error(`updateRecord: the record ${scope.recordId} is not a record of form "${action.formKey}"`);
      }
      for (const row of rows) {
        // Raw rows hold personal values encrypted (engine/privacy/crypto.ts).
        const data = { ...decryptPersonal(row.data as Record<string, unknown>), ...set };
        await assertValidData(form.errorsOf, data, 'zh-CN');
        const record = await updateRecord(db, action.formKey, row.id, { formVersion: form.version, data, updatedBy: scope.actorId as string });
        if (record) await queueRecordAutomations(db, 'record.updated', record, scope.actorId, scope.chain, deps.clock());
      }
      return;
    }
    case 'startProcess':
      // A command nested in this transaction (a savepoint): the instance commits with the run.
      // The chain travels with the instance, for its process.finished automations.
      await startInstance(deps, {
        definitionKey: action.definitionKey,
        variables: await evaluateAll(sequence, `${at}/variables`, action.variables, scope.variables),
        ...(action.businessKey ? { businessKey: await businessKeyOf(sequence, `${at}/businessKey`, action.businessKey, scope.variables) } : {}),
        startedBy: scope.actorId,
        automationChain: scope.chain,
      });
      return;
    case 'correlateMessage':
      await correlateFromAutomation(deps, action, scope, at);
      return;
    case 'webhook': {
      // A job, so the executor delivers it with retries and an idempotency key.
      const config: Record<string, string> = { url: action.url, ...(action.secret ? { secret: action.secret } : {}) };
      const variables = { automationId: scope.automationId, trigger: scope.trigger, recordId: scope.recordId, data: scope.variables };
      await insertJobs(db, [{ id: randomUUID(), type: 'effect:webhook', instanceId: null, executionId: null, elementId: null, dueAt: deps.clock(), payload: { config, variables } }]);
      return;
    }
    case 'notify': {
      const to: string[] = [];
      for (const [index, entry] of (action.to as string[]).entries()) {
        if (!entry.trimStart().startsWith('=')) to.push(entry);
        else {
          const value = await sequence.evaluate(`${at}/to/${index}`, () => evaluateExpression(feel(entry), scope.variables));
          for (const name of Array.isArray(value) ? value : [value]) if (typeof name === 'string' && name) to.push(name);
        }
      }
      const link = scope.recordId && typeof scope.variables.record === 'object' ? `/forms/${(scope.variables.record as any).formKey}/records/${scope.recordId}` : null;
      await notify(deps, { template: action.template, to, data: scope.templateData, link, form: scope.form });
      return;
    }
    default:
      throw new Error(`Unknown action type "${String(action.type)}"`);
  }
}

/**
 * A message to the instance waiting for it, keyed by the FEEL `correlationKey` (text, like a
 * business key). A command nested in the run's savepoint: the continued instance commits with
 * the run. Nothing waiting is not a failure — a payment recorded for a contract that no process
 * tracks (an old one, or one already paid) is an ordinary record — so it only leaves the wait
 * untouched, as does a wait another record's message ended first (two payments of one
 * installment recorded at once: one ends the wait, the other changes nothing); several
 * instances waiting fails the action (409 ambiguous_correlation).
 */
async function correlateFromAutomation(deps: AutomationDeps, action: Record<string, any>, scope: TriggerScope, at: string): Promise<void> {
  const { sequence } = deps;
  const correlationKey = action.correlationKey ? await businessKeyOf(sequence, `${at}/correlationKey`, action.correlationKey, scope.variables) : null;
  const variables = await evaluateAll(sequence, `${at}/variables`, action.variables, scope.variables);
  try {
    await correlateMessage(deps, {
      messageName: action.messageName,
      ...(correlationKey !== null ? { correlationKey } : {}),
      variables,
    });
  } catch (error) {
    // Nothing waits, or another record's message took the wait between lookup and lock.
    if (error instanceof NotFoundError && error.code === 'message_not_correlated') return;
    if (error instanceof ConflictError && error.code === 'subscription_gone') return;
    throw error;
  }
}
