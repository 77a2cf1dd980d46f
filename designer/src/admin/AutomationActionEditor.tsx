/** One action of an automation: its type and the fields that type needs, FEEL maps as rows. */
import { DeleteOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Select, Space } from 'antd';
import { useMessages } from '../i18n/i18n.tsx';
import { ExpressionMap, FeelInput, fieldError } from './shared.tsx';

export type ActionDraft = Record<string, any> & { type: string };

export interface Choices {
  forms: { value: string; label: string }[];
  definitions: { value: string; label: string }[];
  templates: { value: string; label: string }[];
  users: { value: string; label: string }[];
}

const messages = {
  zh: {
    action: '动作 {n}',
    type: '动作类型',
    createRecord: '新增数据',
    updateRecord: '修改数据',
    startProcess: '发起流程',
    webhook: '调用 Webhook',
    notify: '发送通知',
    correlateMessage: '发送流程消息',
    messageName: '消息名称（流程中等待的消息，例如 payment_recorded）',
    correlationKey: '关联键（FEEL，可选；选出等待这条消息的那一个流程，例如 contract_no + "#" + string(installment)）',
    messageVariables: '随消息带入的流程变量（变量名 = FEEL 值）',
    form: '目标表单',
    data: '字段值（每项一个 FEEL 表达式，可引用触发数据的字段）',
    match: '匹配条件（目标表单字段 = FEEL 值；留空表示触发的这条数据本身）',
    businessKey: '业务标识（FEEL，可选，例如 name）',
    set: '修改为（字段 = FEEL 值）',
    definition: '流程',
    variables: '流程变量（变量名 = FEEL 值）',
    url: 'URL',
    secret: '签名密钥（可选）',
    template: '通知模板',
    to: '接收人（用户名，或以 = 开头的 FEEL 表达式）',
    remove: '删除动作',
  },
  en: {
    action: 'Action {n}',
    type: 'Action type',
    createRecord: 'Create record',
    updateRecord: 'Update records',
    startProcess: 'Start process',
    webhook: 'Call webhook',
    notify: 'Send notification',
    correlateMessage: 'Send process message',
    messageName: 'Message name (the message a process waits for, e.g. payment_recorded)',
    correlationKey: 'Correlation key (FEEL, optional; picks the one process waiting, e.g. contract_no + "#" + string(installment))',
    messageVariables: 'Process variables sent with the message (name = FEEL value)',
    form: 'Target form',
    data: 'Field values (one FEEL expression each; may use the triggering record’s fields)',
    match: 'Match (target field = FEEL value; empty: the triggering record itself)',
    businessKey: 'Business key (FEEL, optional, e.g. name)',
    set: 'Set (field = FEEL value)',
    definition: 'Process',
    variables: 'Process variables (name = FEEL value)',
    url: 'URL',
    secret: 'Signing secret (optional)',
    template: 'Message template',
    to: 'Recipients (usernames, or FEEL starting with =)',
    remove: 'Delete action',
  },
};

const TYPES = ['createRecord', 'updateRecord', 'startProcess', 'webhook', 'notify', 'correlateMessage'] as const;

/** A fresh action of `type` with the fields it needs. */
export function emptyAction(type: string): ActionDraft {
  switch (type) {
    case 'createRecord':
      return { type, formKey: undefined, data: {} };
    case 'updateRecord':
      return { type, formKey: undefined, match: {}, set: {} };
    case 'startProcess':
      return { type, definitionKey: undefined, variables: {} };
    case 'webhook':
      return { type, url: '' };
    case 'correlateMessage':
      return { type, messageName: '', variables: {} };
    default:
      return { type: 'notify', template: undefined, to: [] };
  }
}

export function AutomationActionEditor(props: {
  index: number;
  action: ActionDraft;
  errors: Record<string, string>;
  choices: Choices;
  onChange(action: ActionDraft): void;
  onRemove(): void;
}) {
  const t = useMessages(messages);
  const { action, index } = props;
  const at = `/actions/${index}`;
  const id = `automation-action-${index}`;
  const set = (field: string, value: unknown) => props.onChange({ ...action, [field]: value });
  const item = (field: string) => {
    const error = props.errors[`${at}/${field}`];
    return fieldError(error, `${id}-${field}-error`);
  };
  // `/to` or one entry of it (`/to/1`): shown under the recipients box.
  const toError = Object.entries(props.errors).find(([pointer]) => pointer === `${at}/to` || pointer.startsWith(`${at}/to/`))?.[1];
  const map = (field: string, label: string) => (
    <Form.Item label={label} {...item(field)}>
      <ExpressionMap value={action[field] ?? {}} onChange={(value) => set(field, value)} testId={`${id}-${field}`} errors={props.errors} pointer={`${at}/${field}`} />
    </Form.Item>
  );
  const formSelect = (
    <Form.Item label={t('form')} {...item('formKey')}>
      <Select value={action.formKey} options={props.choices.forms} showSearch optionFilterProp="label" onChange={(v) => set('formKey', v)} data-testid={`${id}-formKey`} />
    </Form.Item>
  );

  return (
    <Card
      size="small"
      title={t('action', { n: index + 1 })}
      data-testid={id}
      extra={<Button size="small" danger icon={<DeleteOutlined />} onClick={props.onRemove} title={t('remove')} data-testid={`${id}-delete`} />}
    >
      <Form layout="vertical" component="div">
        <Form.Item label={t('type')} {...item('type')}>
          <Select
            value={action.type}
            data-testid={`${id}-type`}
            options={TYPES.map((type) => ({ value: type, label: t(type) }))}
            onChange={(type: string) => props.onChange(emptyAction(type))}
          />
        </Form.Item>
        {action.type === 'createRecord' ? (
          <>
            {formSelect}
            {map('data', t('data'))}
          </>
        ) : null}
        {action.type === 'updateRecord' ? (
          <>
            {formSelect}
            {map('match', t('match'))}
            {map('set', t('set'))}
          </>
        ) : null}
        {action.type === 'startProcess' ? (
          <>
            <Form.Item label={t('definition')} {...item('definitionKey')}>
              <Select value={action.definitionKey} options={props.choices.definitions} showSearch optionFilterProp="label" onChange={(v) => set('definitionKey', v)} data-testid={`${id}-definitionKey`} />
            </Form.Item>
            {map('variables', t('variables'))}
            <Form.Item label={t('businessKey')}>
              <FeelInput optional value={action.businessKey ?? ''} onChange={(v) => set('businessKey', v || undefined)} testId={`${id}-businessKey`} serverError={props.errors[`${at}/businessKey`]} />
            </Form.Item>
          </>
        ) : null}
        {action.type === 'webhook' ? (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Form.Item label={t('url')} {...item('url')}>
              <Input value={action.url} placeholder="https://" onChange={(e) => set('url', e.target.value)} data-testid={`${id}-url`} />
            </Form.Item>
            <Form.Item label={t('secret')} {...item('secret')}>
              <Input.Password value={action.secret ?? ''} onChange={(e) => set('secret', e.target.value || undefined)} data-testid={`${id}-secret`} />
            </Form.Item>
          </Space>
        ) : null}
        {action.type === 'notify' ? (
          <>
            <Form.Item label={t('template')} {...item('template')}>
              <Select value={action.template} options={props.choices.templates} onChange={(v) => set('template', v)} data-testid={`${id}-template`} />
            </Form.Item>
            <Form.Item label={t('to')} {...fieldError(toError, `${id}-to-error`)}>
              <Select mode="tags" value={action.to ?? []} options={props.choices.users} onChange={(v) => set('to', v)} data-testid={`${id}-to`} />
            </Form.Item>
          </>
        ) : null}
        {action.type === 'correlateMessage' ? (
          <>
            <Form.Item label={t('messageName')} {...item('messageName')}>
              <Input value={action.messageName} onChange={(e) => set('messageName', e.target.value)} data-testid={`${id}-messageName`} />
            </Form.Item>
            <Form.Item label={t('correlationKey')}>
              <FeelInput optional value={action.correlationKey ?? ''} onChange={(v) => set('correlationKey', v || undefined)} testId={`${id}-correlationKey`} serverError={props.errors[`${at}/correlationKey`]} />
            </Form.Item>
            {map('variables', t('messageVariables'))}
          </>
        ) : null}
      </Form>
    </Card>
  );
}
