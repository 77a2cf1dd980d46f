/**
 * The step guard: a model that runs on without reaching a wait state (a gateway loop, a
 * chain that never ends, a process that calls itself) is stopped after a number of steps or
 * an amount of time, whichever comes first, and the command rolls back with a 422 naming
 * where the tokens were. Time is what the user feels (a loop of slow FEEL conditions blocks
 * the node long before 20,000 steps) and is counted for the whole command, across every
 * instance it runs; steps are counted per run of one instance and keep a fast loop from
 * growing memory within its time.
 */
import { ValidationError } from '../errors.ts';
import { deadlineIn, isPast, type Deadline } from '../expressions/budget.ts';
import { engineLimits, limitEnvName } from '../limits.ts';
import type { InstanceRun } from './instanceRun.ts';

export const STEP_BUDGET_EXCEEDED = 'step_budget_exceeded';

export class StepBudget {
  private steps = 0;
  private readonly maxSteps = engineLimits().maxSteps;
  constructor(
    private readonly run: InstanceRun,
    /** The command's deadline, shared with every expression it evaluates (expressions/budget.ts). */
    readonly deadline: Deadline = deadlineIn(engineLimits().maxCommandMs),
  ) {}

  /** Counts one step; throws once the run is over its steps or its time. */
  step(): void {
    this.steps += 1;
    if (this.steps > this.maxSteps) {
      throw this.exceeded(`ran ${this.maxSteps} steps (${limitEnvName('maxSteps')})`);
    }
    if (isPast(this.deadline)) {
      const limit = engineLimits().maxCommandMs;
      throw this.exceeded(`ran for more than ${limit} ms (${limitEnvName('maxCommandMs')})`);
    }
  }

  private exceeded(what: string): ValidationError {
    const { run } = this;
    const at = run.activeElementIds();
    const where = at.length > 0 ? `; tokens were at ${at.map((id) => `"${id}"`).join(', ')}` : '';
    return new ValidationError(
      `Process "${run.process.id}" ${what} without reaching a wait state: it loops or is too large to run in one step${where}`,
      (at.length > 0 ? at : [run.process.id]).map((pointer) => ({ pointer, message: `still running after the command's budget (${what})` })),
      STEP_BUDGET_EXCEEDED,
    );
  }
}
