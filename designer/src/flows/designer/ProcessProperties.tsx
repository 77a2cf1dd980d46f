/**
 * The flow itself: 流程名称, 流程标识 (the process id = definition key), 流程表单 (the form the
 * start event is bound to with camunda:formKey), 待办摘要 (the fields an inbox row shows,
 * `liuzhuan:summary`, processSummary.ts) and, with the start event selected, what the
 * submitter may fill (字段权限 on the start event).
 */
import { Alert, Form, Select, Typography } from 'antd';
import { Link } from 'react-router';
import { pickText, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { FLOW_KEY_PATTERN } from '../model/newFlowXml.ts';
import { CommitInput } from './CommitInput.tsx';
import { FieldPermissionGrid } from './FieldPermissionGrid.tsx';
import { MAX_SUMMARY_FIELDS, summaryFieldsOf, withSummaryFields } from './processSummary.ts';
import { bindFormKey, boundFormKey, settingsOf, startEventOf, updateSettings, type DiagramElement, type Services } from './modeler.ts';
import type { FlowData } from './useFlowData.ts';

const messages = {
  zh: {
    title: '流程设置',
    name: '流程名称',
    key: '流程标识',
    keyHelp: '字母开头，可含字母、数字、_ 和 -；修改标识会发布成另一个流程',
    form: '流程表单',
    formHelp: '提交这个表单就会发起本流程',
    formPlaceholder: '选择表单',
    noStart: '流程没有开始事件，无法绑定表单',
    routing: '路由规则',
    routingHelp: '表单提交后分派到哪个部门，在路由规则中设置',
    startName: '开始节点名称',
    startPermissions: '提交时的字段权限',
    summary: '待办摘要',
    summaryHelp: '待办列表和新待办提醒里显示的字段（最多 {max} 个）',
    summaryPlaceholder: '默认：表单前几个必填字段',
  },
  en: {
    title: 'Flow settings',
    name: 'Flow name',
    key: 'Flow key',
    keyHelp: 'Starts with a letter; letters, digits, _ and -; a new key deploys a different flow',
    form: 'Flow form',
    formHelp: 'Submitting this form starts the flow',
    formPlaceholder: 'Choose a form',
    noStart: 'The flow has no start event, so no form can be bound',
    routing: 'Routing rules',
    routingHelp: 'Which department a submitted form goes to is set in the routing rules',
    startName: 'Start node name',
    startPermissions: 'Field permissions when submitting',
    summary: 'Inbox summary',
    summaryHelp: 'Fields shown in the inbox and the new-task notice (at most {max})',
    summaryPlaceholder: "Default: the form's first required fields",
  },
};

export interface ProcessPropertiesProps {
  services: Services;
  data: FlowData;
  /** The none start event when it is the selection (shows its field permissions). */
  startSelected: DiagramElement | null;
}

export function ProcessProperties({ services, data, startSelected }: ProcessPropertiesProps) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const root = services.canvas.getRootElement();
  const process = root.businessObject;
  const start = startEventOf(services);
  const formKey = boundFormKey(services);
  const name = process.name ?? '';

  return (
    <Form layout="vertical" data-testid="process-properties">
      <Typography.Title level={5}>{t('title')}</Typography.Title>
      <Form.Item label={t('name')}>
        <CommitInput key={`name:${name}`} value={name} testId="process-name" onCommit={(value) => services.modeling.updateProperties(root, { name: value })} />
      </Form.Item>
      <Form.Item label={t('key')} help={t('keyHelp')}>
        <CommitInput
          key={`key:${process.id}`}
          value={process.id}
          testId="process-key"
          validate={(value) => FLOW_KEY_PATTERN.test(value)}
          onCommit={(value) => services.modeling.updateProperties(root, { id: value })}
        />
      </Form.Item>
      <Form.Item label={t('form')} help={start ? t('formHelp') : t('noStart')}>
        <Select
          value={formKey}
          disabled={!start}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('formPlaceholder')}
          data-testid="process-form"
          options={data.forms.map((form) => ({ value: form.key, label: `${pickText(form.title, locale, form.key)} (${form.key})` }))}
          onChange={(value: string | undefined) => start && bindFormKey(services, start, value || undefined)}
        />
      </Form.Item>
      {formKey && (
        <Form.Item label={t('summary')} help={t('summaryHelp', { max: MAX_SUMMARY_FIELDS })}>
          <Select
            mode="multiple"
            allowClear
            maxCount={MAX_SUMMARY_FIELDS}
            value={summaryFieldsOf(process)}
            loading={data.fieldsLoading}
            placeholder={t('summaryPlaceholder')}
            optionFilterProp="label"
            data-testid="process-summary"
            options={data.fields.map((field) => ({ value: field.name, label: field.title }))}
            onChange={(fields: string[]) => services.modeling.updateProperties(root, { extensionElements: withSummaryFields(services.moddle, process, fields) })}
          />
        </Form.Item>
      )}
      {formKey && (
        <Typography.Paragraph type="secondary">
          {t('routingHelp')}：
          <Link to={`/admin/routing?form=${encodeURIComponent(formKey)}`} data-testid="routing-link">
            {t('routing')}
          </Link>
        </Typography.Paragraph>
      )}
      {startSelected && (
        <>
          <Form.Item label={t('startName')}>
            <CommitInput
              key={`start:${startSelected.businessObject.name ?? ''}`}
              value={startSelected.businessObject.name ?? ''}
              testId="node-name"
              onCommit={(value) => services.modeling.updateProperties(startSelected, { name: value })}
            />
          </Form.Item>
          <Typography.Text strong>{t('startPermissions')}</Typography.Text>
          {formKey ? (
            <FieldPermissionGrid
              fields={data.fields}
              loading={data.fieldsLoading}
              value={settingsOf(startSelected).fieldPermissions}
              onChange={(fieldPermissions) => updateSettings(services, startSelected, { fieldPermissions })}
            />
          ) : (
            <Alert type="info" title={t('formPlaceholder')} />
          )}
        </>
      )}
    </Form>
  );
}
