/** Queuing work behind the current operation of a step; `drain` (interpreter.ts) runs it in order. */
import type { Step } from './services.ts';

export function schedule(step: Step, operation: () => Promise<void> | void): void {
  step.agenda.push(operation);
}
