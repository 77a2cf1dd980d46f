/**
 * Flow forms' registrations (called once by engine/features.ts): binding a process to its
 * form while the BPMN compiles (flowBinding.ts), and the record following its instance at
 * flush (flowRecords.ts); instances started without a submission get their record
 * (flowStartRecords.ts); a service task may write records (recordTask.ts).
 */
import { registerCompileListener } from '../extensions/compileListeners.ts';
import { registerFlushParticipant } from '../extensions/flushParticipants.ts';
import { registerServiceTaskHandler } from '../extensions/serviceTaskHandlers.ts';
import { bindProcessForm } from './flowBinding.ts';
import { syncFlowRecords } from './flowRecords.ts';
import { createStartRecords } from './flowStartRecords.ts';
import { readRecordStart } from './recordStarts.ts';
import { saveRecordCompileChecks, saveRecordHandler } from './recordTask.ts';

export function registerFlowForms(): void {
  registerCompileListener({ name: 'forms.binding', processCompiled: bindProcessForm });
  // A process that starts from a record of a form (recordStarts.ts).
  registerCompileListener({ name: 'forms.recordStart', processCompiled: readRecordStart });
  // A service task writing a record (liuzhuan:saveRecord, recordTask.ts).
  registerCompileListener(saveRecordCompileChecks);
  registerServiceTaskHandler(saveRecordHandler);
  // An instance of a bound process started without a submission (call, automation, timer) gets its record.
  registerFlushParticipant({ name: 'forms.startRecords', beforeInstances: ({ trx, runs }) => createStartRecords(trx, runs) });
  // Before the instance rows, as the record's data was always written first.
  registerFlushParticipant({ name: 'forms.records', beforeInstances: ({ trx, runs }) => syncFlowRecords(trx, runs) });
}
