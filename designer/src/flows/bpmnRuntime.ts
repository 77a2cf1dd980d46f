/**
 * Everything bpmn-js: the classes and their CSS, loaded together with `import()` by the
 * viewer and the modeler so the staff pages' bundle carries none of it (vite puts it in the
 * `bpmn` chunk).
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import './flows.css';

export { default as NavigatedViewer } from 'bpmn-js/lib/NavigatedViewer';
export { default as Modeler } from 'bpmn-js/lib/Modeler';
export { default as camundaModdle } from 'camunda-bpmn-moddle/resources/camunda.json';
export { default as liuzhuanModdle } from '../../../engine/bpmn/liuzhuan.json';
export { roundTripModule } from './designer/roundTrip.ts';
export { branchActionsModule } from './designer/branches/branchActions.ts';
export { translateModule, setBpmnLocale } from './designer/branches/bpmnTranslations.ts';
