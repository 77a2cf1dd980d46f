/**
 * The process scenarios of the demo's "now", one per template process (workflows/<key>.bpmn).
 * Each starts a few instances and moves them to the states a new user should find: a task in
 * each demo user's inbox, a payment overdue, a feedback loop running.
 */
import type { CustomerProfile } from '../types.generated.ts';
import type { DemoContext } from './context.ts';
import type { Random } from './random.ts';

export interface ScenarioInput {
  customers: CustomerProfile[];
  random: Random;
}

export interface ProcessScenario {
  processKey: string;
  /** Returns how many instances it started. */
  run(ctx: DemoContext, input: ScenarioInput): Promise<number>;
}

export const PROCESS_SCENARIOS: ProcessScenario[] = [];
