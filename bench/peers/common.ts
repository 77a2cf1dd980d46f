/**
 * What every workload of the throughput benchmark (bench/throughput.ts) shares: the
 * representative process, the form of its first task, the amount each instance enters, the
 * client loop and the statistics a run produces.
 *
 * Process: start → "fill" (form: customer, amount, note) → exclusive gateway on amount
 * (> 10000 → "approve", else "review") → end. Three commands per instance: start, complete
 * fill, complete approve/review.
 */

export const PROCESS_KEY = 'benchThroughput';
export const FORM_KEY = 'bench_order';

/** Liuzhuan's model: every task goes to whoever started the instance (camunda:initiator). */
export const LIUZHUAN_PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  targetNamespace="http://liuzhuan.dev/bench">
  <process id="${PROCESS_KEY}" name="Throughput bench" isExecutable="true">
    <startEvent id="start" camunda:initiator="initiator"/>
    <userTask id="fill" name="Fill" camunda:assignee="\${initiator}" camunda:formKey="${FORM_KEY}"/>
    <exclusiveGateway id="route" default="route-review"/>
    <userTask id="approve" name="Approve" camunda:assignee="\${initiator}"/>
    <userTask id="review" name="Review" camunda:assignee="\${initiator}"/>
    <endEvent id="end"/>
    <sequenceFlow id="start-fill" sourceRef="start" targetRef="fill"/>
    <sequenceFlow id="fill-route" sourceRef="fill" targetRef="route"/>
    <sequenceFlow id="route-approve" sourceRef="route" targetRef="approve"><conditionExpression xsi:type="tFormalExpression">\${amount &gt; 10000}</conditionExpression></sequenceFlow>
    <sequenceFlow id="route-review" sourceRef="route" targetRef="review"/>
    <sequenceFlow id="approve-end" sourceRef="approve" targetRef="end"/>
    <sequenceFlow id="review-end" sourceRef="review" targetRef="end"/>
  </process>
</definitions>`;

/** The same process for bpmn-engine: its conditions are scripts (bench/peers/bpmnEngine.ts compiles them once). */
export const PEER_PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="http://liuzhuan.dev/bench">
  <process id="${PROCESS_KEY}" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="fill"/>
    <exclusiveGateway id="route" default="route-review"/>
    <userTask id="approve"/>
    <userTask id="review"/>
    <endEvent id="end"/>
    <sequenceFlow id="start-fill" sourceRef="start" targetRef="fill"/>
    <sequenceFlow id="fill-route" sourceRef="fill" targetRef="route"/>
    <sequenceFlow id="route-approve" sourceRef="route" targetRef="approve"><conditionExpression xsi:type="tFormalExpression" language="js">next(null, environment.variables.amount &gt; 10000)</conditionExpression></sequenceFlow>
    <sequenceFlow id="route-review" sourceRef="route" targetRef="review"/>
    <sequenceFlow id="approve-end" sourceRef="approve" targetRef="end"/>
    <sequenceFlow id="review-end" sourceRef="review" targetRef="end"/>
  </process>
</definitions>`;

export const FORM = {
  key: FORM_KEY,
  title: 'Bench order',
  schema: {
    type: 'object',
    required: ['customer', 'amount'],
    properties: {
      customer: { type: 'string', minLength: 1, maxLength: 100 },
      amount: { type: 'number', minimum: 0 },
      note: { type: 'string', maxLength: 500 },
    },
  },
};

/** Half the instances go to "approve", half to "review". */
export function fillData(index: number): { customer: string; amount: number; note: string } {
  return { customer: `Customer ${index}`, amount: index % 2 === 0 ? 25_000 : 4_000, note: 'bench' };
}

export function expectedSecondTask(index: number): 'approve' | 'review' {
  return fillData(index).amount > 10_000 ? 'approve' : 'review';
}

/** What one run of one workload at one client count collected. */
export class RunStats {
  /** Milliseconds per command (start, complete). */
  readonly latencies: number[] = [];
  errors = 0;
  retries = 0;
  completed = 0;
  /** Non-2xx answers and thrown errors, by "status route" (or error name). */
  readonly problems = new Map<string, number>();
  /** The first few error messages, for the report. */
  readonly samples: string[] = [];

  problem(key: string, detail?: string): void {
    this.problems.set(key, (this.problems.get(key) ?? 0) + 1);
    if (detail && this.samples.length < 5) this.samples.push(`${key}: ${detail}`.slice(0, 600));
  }

  /** Times one command; a throw counts as an error of the instance (the caller gives it up). */
  async time<T>(run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await run();
    this.latencies.push(performance.now() - started);
    return result;
  }
}

/**
 * `clients` concurrent loops take instance numbers 0…count-1 until none is left; a failed
 * instance is counted and the client goes on with the next. Returns the elapsed seconds.
 */
export async function runClients(
  clients: number,
  count: number,
  stats: RunStats,
  runInstance: (client: number, index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  const loop = async (client: number) => {
    while (next < count) {
      const index = next++;
      try {
        await runInstance(client, index);
        stats.completed += 1;
      } catch (error) {
        stats.errors += 1;
        const err = error as Error;
        stats.problem(`thrown ${err.name ?? 'Error'}`, err.stack ?? String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, client) => loop(client)));
  return (performance.now() - started) / 1000;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A workload at one client count: runs `count` instances and fills `stats`; returns elapsed seconds. */
export interface Workload {
  name: string;
  clientCounts: number[];
  run(clients: number, count: number, stats: RunStats): Promise<number>;
}
