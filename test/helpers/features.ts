/**
 * Every test file starts like the engine does: features registered with the extension points
 * (engine/features.ts), so tests that compile BPMN or run commands without `createEngine`
 * get approvals, flow forms and automations too.
 */
import { installFeatures } from '../../engine/features.ts';

installFeatures();
