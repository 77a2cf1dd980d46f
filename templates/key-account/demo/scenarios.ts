/**
 * The process scenarios of the demo's "now", one module per template process
 * (workflows/<key>.bpmn). Each starts a few instances and moves them to the states a new
 * user should find: a task in each demo user's inbox, tickets in the queues, a payment
 * overdue, a feedback loop running.
 */
import { complaintScenario } from './scenarios/complaint.ts';
import { contractScenario } from './scenarios/contract.ts';
import { feedbackScenario } from './scenarios/feedback.ts';
import { revisitScenario } from './scenarios/revisit.ts';
import type { ProcessScenario } from './scenarios/types.ts';

export type { ProcessScenario, ScenarioInput } from './scenarios/types.ts';

export const PROCESS_SCENARIOS: ProcessScenario[] = [complaintScenario, contractScenario, feedbackScenario, revisitScenario];
