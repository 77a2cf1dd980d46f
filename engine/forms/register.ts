/**
 * Flow forms' registrations (called once by engine/features.ts): binding a process to its
 * form while the BPMN compiles (flowBinding.ts), and the record following its instance at
 * flush (flowRecords.ts).
 */
import { registerCompileListener } from '../extensions/compileListeners.ts';
import { registerFlushParticipant } from '../extensions/flushParticipants.ts';
import { bindProcessForm } from './flowBinding.ts';
import { syncFlowRecords } from './flowRecords.ts';

export function registerFlowForms(): void {
  registerCompileListener({ name: 'forms.binding', processCompiled: bindProcessForm });
  // Before the instance rows, as the record's data was always written first.
  registerFlushParticipant({ name: 'forms.records', beforeInstances: ({ trx, runs }) => syncFlowRecords(trx, runs) });
}
