/** The error of a node none of whose outgoing flows can be taken (shared by the gateways and the interpreter). */
import type { FlowNode } from '../bpmn/model.ts';
import { ValidationError } from '../errors.ts';

export function noPathError(node: FlowNode): ValidationError {
  return new ValidationError(
    `No outgoing sequence flow of ${node.type} "${node.id}" can be taken: no condition is true and there is no default flow`,
    [{ pointer: node.id, message: 'no condition is true and there is no default flow' }],
    'no_path',
  );
}
