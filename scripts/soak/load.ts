/**
 * A mixed load over HTTP, spread over several nodes: each client is bound to one node and
 * loops over five kinds of operation, picked at random with fixed weights:
 *
 * - `start`: an approval (a task for admin follows) or an instance waiting for a message;
 * - `complete`: one of the open approval tasks, through whichever node the client talks to;
 * - `timer`: an instance whose 1 s timer an executor (either node's) fires;
 * - `message`: correlates `soak-go` with a waiting instance's business key;
 * - `record`: writes a record of `soak_note`, or replaces one written earlier.
 *
 * Every answer goes to `onResult` (status, time, what it was about); nothing here judges it.
 * A client whose node is not accepting (killed, restarting) waits until it is.
 */
import { randomUUID } from 'node:crypto';
import type { HttpClient } from './httpClient.ts';
import { APPROVAL_KEY, MESSAGE_KEY, MESSAGE_NAME, NOTE_FORM, TIMER_KEY } from './models.ts';

export const OPERATION_KINDS = ['start', 'complete', 'timer', 'message', 'record'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

const WEIGHTS: Record<OperationKind, number> = { start: 0.25, complete: 0.25, timer: 0.15, message: 0.15, record: 0.2 };
/** Open tasks beyond this: completions first, so a long run's backlog stays bounded. */
const MAX_OPEN_TASKS = 300;
const MAX_KEPT_RECORDS = 200;

export interface LoadTarget {
  name: string;
  url: string;
  /** false while the node is down: its clients wait. */
  accepting(): boolean;
}

export interface OperationResult {
  kind: OperationKind;
  target: string;
  /** `POST /api/tasks/:id/complete`: the route, ids left out. */
  route: string;
  /** null: no answer (refused, cut, timed out). */
  status: number | null;
  ms: number;
  body: any;
  /** What the request was about, for whoever keeps books on what was acknowledged. */
  subject: { definitionKey?: string; businessKey?: string; taskId?: string; recordId?: string; update?: boolean };
}

export interface MixedLoadOptions {
  targets: LoadTarget[];
  http: HttpClient;
  clients: number;
  random: () => number;
  onResult(result: OperationResult): void;
  /** Pause after each operation of a client (ms): 0 runs flat out. */
  thinkMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class MixedLoad {
  /** Approval tasks answered open and not yet sent for completion. */
  readonly openTasks: string[] = [];
  /** Business keys of message instances answered started and not yet sent a message. */
  readonly waitingKeys: string[] = [];
  private readonly records: string[] = [];
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(private readonly options: MixedLoadOptions) {}

  start(): void {
    this.running = Promise.all(Array.from({ length: this.options.clients }, (_, id) => this.client(id))).then(() => undefined);
  }

  /** Stops after each client's operation in flight (which is still reported). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async client(id: number): Promise<void> {
    const { targets, thinkMs = 0 } = this.options;
    const target = targets[id % targets.length]!;
    while (!this.stopped) {
      if (!target.accepting()) {
        await sleep(50);
        continue;
      }
      await this.operation(target, this.pick());
      if (thinkMs > 0) await sleep(thinkMs);
    }
  }

  private pick(): OperationKind {
    if (this.openTasks.length > MAX_OPEN_TASKS) return 'complete';
    let r = this.options.random();
    for (const kind of OPERATION_KINDS) {
      r -= WEIGHTS[kind];
      if (r < 0) return kind;
    }
    return 'record';
  }

  private async operation(target: LoadTarget, kind: OperationKind): Promise<void> {
    const random = this.options.random;
    if (kind === 'complete') {
      const taskId = this.openTasks.splice(Math.floor(random() * this.openTasks.length), 1)[0];
      if (taskId) {
        await this.send(target, kind, 'POST', `/api/tasks/${taskId}/complete`, '/api/tasks/:id/complete', { variables: {} }, { taskId });
        return;
      }
      kind = 'start';
    }
    if (kind === 'message') {
      const businessKey = this.waitingKeys.shift();
      if (businessKey) {
        await this.send(target, kind, 'POST', '/api/messages', '/api/messages', { messageName: MESSAGE_NAME, correlationKey: businessKey }, { businessKey });
        return;
      }
      kind = 'start';
    }
    if (kind === 'start') {
      // Half the starts wait for a message: the message operations need someone to correlate.
      const definitionKey = random() < 0.5 ? APPROVAL_KEY : MESSAGE_KEY;
      const businessKey = `soak-${randomUUID()}`;
      const answer = await this.send(target, kind, 'POST', '/api/instances', '/api/instances', { definitionKey, businessKey }, { definitionKey, businessKey });
      if (answer.status === 201) {
        if (definitionKey === APPROVAL_KEY) this.openTasks.push(...(answer.body?.nextTasks ?? []).map((task: { id: string }) => task.id));
        else this.waitingKeys.push(businessKey);
      }
      return;
    }
    if (kind === 'timer') {
      const businessKey = `soak-${randomUUID()}`;
      await this.send(target, kind, 'POST', '/api/instances', '/api/instances', { definitionKey: TIMER_KEY, businessKey }, { definitionKey: TIMER_KEY, businessKey });
      return;
    }
    // record: three new ones for each replacement of an earlier one
    const data = { title: `note ${Math.floor(random() * 1e6)}`, amount: Math.floor(random() * 100_000) };
    const earlier = this.records.length > 0 && random() < 0.25 ? this.records[Math.floor(random() * this.records.length)] : undefined;
    if (earlier) {
      await this.send(target, kind, 'PUT', `/api/forms/${NOTE_FORM}/records/${earlier}`, `/api/forms/${NOTE_FORM}/records/:id`, { data }, { recordId: earlier, update: true });
      return;
    }
    const answer = await this.send(target, kind, 'POST', `/api/forms/${NOTE_FORM}/records`, `/api/forms/${NOTE_FORM}/records`, { data }, {});
    if (answer.status === 201 && typeof answer.body?.id === 'string') {
      this.records.push(answer.body.id);
      if (this.records.length > MAX_KEPT_RECORDS) this.records.shift();
    }
  }

  private async send(
    target: LoadTarget,
    kind: OperationKind,
    method: string,
    path: string,
    route: string,
    body: unknown,
    subject: OperationResult['subject'],
  ): Promise<OperationResult> {
    const began = performance.now();
    const answer = await this.options.http.request(target.url, method, path, body);
    const result: OperationResult = {
      kind,
      target: target.name,
      route: `${method} ${route}`,
      status: answer.status,
      ms: performance.now() - began,
      body: answer.status === null ? answer.error : answer.body,
      subject: kind === 'record' && answer.status === 201 ? { ...subject, recordId: answer.body?.id } : subject,
    };
    this.options.onResult(result);
    return result;
  }
}
