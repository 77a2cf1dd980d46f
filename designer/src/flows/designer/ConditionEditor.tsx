/**
 * 条件 of a flow leaving an exclusive/inclusive gateway: the shared condition builder
 * (conditions/ConditionInput.tsx — the same one routing rules use: options shown by label,
 * stored by value) writing the flow's FEEL, and the FEEL itself for experts. Or: mark the flow
 * as the gateway's 默认流向 (taken when no condition holds; it has no condition).
 */
import { Checkbox, Form, Typography } from 'antd';
import { ConditionInput } from '../../conditions/ConditionInput.tsx';
import { useMessages } from '../../i18n/i18n.tsx';
import { CommitInput } from './CommitInput.tsx';
import type { DiagramElement, Services } from './modeler.ts';
import type { FlowData } from './useFlowData.ts';

const messages = {
  zh: { title: '条件流向', name: '名称', isDefault: '默认流向（其他条件都不满足时走这里）', builder: '条件' },
  en: { title: 'Conditional flow', name: 'Name', isDefault: 'Default flow (taken when no other condition holds)', builder: 'Condition' },
};

export interface ConditionEditorProps {
  services: Services;
  flow: DiagramElement;
  data: FlowData;
}

export function ConditionEditor({ services, flow, data }: ConditionEditorProps) {
  const t = useMessages(messages);
  const gateway = flow.source!;
  const body = flow.businessObject.conditionExpression?.body ?? '';
  const isDefault = gateway.businessObject.default === flow.businessObject;

  const write = (feel: string) => {
    const trimmed = feel.trim();
    services.modeling.updateProperties(flow, {
      conditionExpression: trimmed ? services.moddle.create('bpmn:FormalExpression', { body: trimmed }) : undefined,
    });
  };
  const setDefault = (on: boolean) => {
    if (on && body) write('');
    services.modeling.updateProperties(gateway, { default: on ? flow.businessObject : undefined });
  };
  const name = flow.businessObject.name ?? '';

  return (
    <Form layout="vertical" data-testid="condition-editor" data-element-id={flow.id}>
      <Typography.Title level={5}>{t('title')}</Typography.Title>
      <Form.Item label={t('name')}>
        <CommitInput key={`${flow.id}:${name}`} value={name} testId="node-name" onCommit={(value) => services.modeling.updateProperties(flow, { name: value })} />
      </Form.Item>
      <Checkbox checked={isDefault} onChange={(event) => setDefault(event.target.checked)} data-testid="condition-default" style={{ marginBottom: 12 }}>
        {t('isDefault')}
      </Checkbox>
      {!isDefault && (
        <Form.Item label={t('builder')}>
          {/* Each builder change is one modeling command (one undo step); typed FEEL is written on leaving the box. */}
          <ConditionInput value={body} onChange={write} fields={data.fields} testId="condition" commitFeel="blur" />
        </Form.Item>
      )}
    </Form>
  );
}
