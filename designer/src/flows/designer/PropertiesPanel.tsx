/**
 * The right-hand panel: what it shows depends on the selection — the process (nothing or
 * the start event selected), a user task (审批/填写节点), a flow leaving a gateway (条件),
 * or just the name of anything else. Values are read from the business objects on every
 * render; `revision` (bumped on each bpmn-js command) makes undo/redo show up here.
 */
import { Form, Typography } from 'antd';
import { useMessages } from '../../i18n/i18n.tsx';
import { CommitInput } from './CommitInput.tsx';
import { NodeActions } from './NodeActions.tsx';
import { ConditionEditor } from './ConditionEditor.tsx';
import { boundFormKey, type DiagramElement, type Services } from './modeler.ts';
import { ProcessProperties } from './ProcessProperties.tsx';
import { useFlowData } from './useFlowData.ts';
import { UserTaskProperties } from './UserTaskProperties.tsx';
import { PublicLinkProperties } from '../../publicLinks/PublicLinkProperties.tsx';

const messages = {
  zh: { name: '名称', element: '元素', other: '这种元素只设置名称；审批设置在用户任务（审批节点）上。' },
  en: { name: 'Name', element: 'Element', other: 'Only the name is set here; approval settings live on user tasks (approval nodes).' },
};

export interface PropertiesPanelProps {
  services: Services;
  selected: DiagramElement | null;
  /** Changes whenever the model changes; the panel re-reads it. */
  revision: number;
}

const GATEWAYS = ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway'];

export function PropertiesPanel(props: PropertiesPanelProps) {
  const element = props.selected?.labelTarget ?? props.selected;
  const root = props.services.canvas.getRootElement();
  return (
    <>
      {element && element !== root && <NodeActions key={`${element.id}:${props.revision}`} services={props.services} element={element} />}
      <ElementProperties {...props} />
    </>
  );
}

function ElementProperties({ services, selected }: PropertiesPanelProps) {
  const t = useMessages(messages);
  const data = useFlowData(boundFormKey(services));
  const element = selected?.labelTarget ?? selected;
  const root = services.canvas.getRootElement();

  if (!element || element === root || element.type === 'bpmn:Process' || (element.type === 'bpmn:StartEvent' && element.parent === root)) {
    return <ProcessProperties services={services} data={data} startSelected={element?.type === 'bpmn:StartEvent' ? element : null} />;
  }
  if (element.type === 'bpmn:UserTask') return <UserTaskProperties key={element.id} services={services} element={element} data={data} />;
  if (element.type === 'bpmn:SendTask' || element.type === 'bpmn:ServiceTask') {
    return <PublicLinkProperties key={element.id} services={services} element={element} data={data} />;
  }
  if (element.type === 'bpmn:SequenceFlow' && element.source && GATEWAYS.includes(element.source.type)) {
    return <ConditionEditor key={element.id} services={services} flow={element} data={data} />;
  }
  const name = element.businessObject.name ?? '';
  return (
    <Form layout="vertical" data-testid="element-properties">
      <Typography.Title level={5}>
        {t('element')} · {element.id}
      </Typography.Title>
      <Form.Item label={t('name')}>
        <CommitInput key={`${element.id}:${name}`} value={name} testId="node-name" onCommit={(value) => services.modeling.updateProperties(element, { name: value })} />
      </Form.Item>
      <Typography.Paragraph type="secondary">{t('other')}</Typography.Paragraph>
    </Form>
  );
}
