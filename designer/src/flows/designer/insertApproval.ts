/**
 * The toolbar's 添加审批节点: an approval node on the selected flow, after the selected node,
 * as one more branch of a selected split gateway, or before the end when nothing (or the end)
 * is selected. The insert and its automatic layout are branches/branchActions.ts.
 */
import { joinFor } from './branches/insertBranch.ts';
import type { DiagramElement, Services } from './modeler.ts';

/** False when there is nowhere to add (e.g. a node whose several flows lead on separately). */
export function addApprovalAt(services: Services, selected: DiagramElement | null): Promise<void> | false {
  const actions = services.lzBranchActions;
  const element = selected?.labelTarget ?? selected;
  if (element && element !== services.canvas.getRootElement() && element.type !== 'bpmn:EndEvent') {
    const flow = actions.flowFor(element);
    if (flow) return actions.addNode(flow, 'approval');
    if (joinFor(services, element, 'condition')) return actions.addBranch(element, 'condition');
    if (joinFor(services, element, 'parallel')) return actions.addBranch(element, 'parallel');
    return false;
  }
  const end = element?.type === 'bpmn:EndEvent' ? element : services.elementRegistry.filter((candidate) => candidate.type === 'bpmn:EndEvent')[0];
  const incoming = end?.incoming.find((flow) => flow.type === 'bpmn:SequenceFlow');
  return incoming ? actions.addNode(incoming, 'approval') : false;
}
