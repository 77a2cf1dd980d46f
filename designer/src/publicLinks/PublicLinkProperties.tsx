/**
 * The properties of a send or service task in the flow designer, with 客户外链: when on, the
 * task makes a single-use link for the customer (liuzhuan:publicLink) — which form they fill,
 * which message the answer arrives as (a receive task or catch event of the flow waits for
 * it), how long it stays open, who is told, and the fields it fixes (e.g. the customer).
 */
import { AutoComplete, Button, Form, InputNumber, Select, Space, Switch, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EyeInvisibleOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { pickText, useLocale, useMessages } from '../i18n/i18n.tsx';
import type { ModdleLike } from '../flows/model/liuzhuanExtensions.ts';
import { parseIsoDuration } from '../flows/model/liuzhuanExtensions.ts';
import { CommitInput } from '../flows/designer/CommitInput.tsx';
import type { DiagramElement, Services } from '../flows/designer/modeler.ts';
import type { FlowData } from '../flows/designer/useFlowData.ts';
import { messageNames, readPublicLink, writePublicLink, type PublicLinkModel } from './flowModel.ts';

const messages = {
  zh: {
    task: '任务',
    name: '名称',
    enabled: '发送客户外链',
    enabledHelp: '生成一次性的外链：客户无需登录即可填写，答复以消息送回本流程。',
    form: '客户填写的表单',
    message: '答复作为消息',
    messageHelp: '流程中需有等待此消息的接收任务或消息事件',
    expires: '有效天数',
    never: '长期有效',
    variable: '链接存入变量',
    notify: '通知（把链接发给谁转交客户）',
    notifyHelp: '用户名，或 ${owner} 这样的变量',
    prefill: '固定字段（客户只读，或不显示）',
    shown: '客户可见（只读）；点击改为不显示',
    hidden: '不显示给客户；点击改为只读显示',
    field: '字段',
    value: 'FEEL 表达式，例如 customer',
    add: '添加固定字段',
  },
  en: {
    task: 'Task',
    name: 'Name',
    enabled: 'Send a link to the customer',
    enabledHelp: 'Makes a single-use public link: the customer fills it in without logging in, the answer comes back to this flow as a message.',
    form: 'Form the customer fills',
    message: 'Answer arrives as message',
    messageHelp: 'A receive task or message event of the flow must wait for it',
    expires: 'Open for days',
    never: 'No end',
    variable: 'Link stored in variable',
    notify: 'Notify (who forwards the link)',
    notifyHelp: 'A username, or a variable such as ${owner}',
    prefill: 'Fixed fields (read-only for the customer, or not shown)',
    shown: 'Shown to the customer (read-only); click to hide',
    hidden: 'Not shown to the customer; click to show read-only',
    field: 'Field',
    value: 'FEEL expression, e.g. customer',
    add: 'Add a fixed field',
  },
};

const EMPTY: PublicLinkModel = { form: '', message: '', expiresIn: 'P14D', variable: '', notify: '', prefill: [] };

function definitionsOf(bo: ModdleLike): ModdleLike | undefined {
  let current: ModdleLike | undefined = bo;
  while (current && current.$type !== 'bpmn:Definitions') current = current.$parent as ModdleLike | undefined;
  return current;
}

export function PublicLinkProperties({ services, element, data }: { services: Services; element: DiagramElement; data: FlowData }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const bo = element.businessObject as unknown as ModdleLike;
  const link = readPublicLink(bo);
  const save = (next: PublicLinkModel | null) =>
    services.modeling.updateProperties(element, { extensionElements: writePublicLink(services.moddle, bo, next) });
  const change = (patch: Partial<PublicLinkModel>) => save({ ...(link ?? EMPTY), ...patch });
  const days = parseIsoDuration(link?.expiresIn);
  const name = typeof bo.name === 'string' ? bo.name : '';

  return (
    <Form layout="vertical" data-testid="public-link-properties">
      <Typography.Title level={5}>
        {t('task')} · {element.id}
      </Typography.Title>
      <Form.Item label={t('name')}>
        <CommitInput key={`${element.id}:${name}`} value={name} testId="node-name" onCommit={(value) => services.modeling.updateProperties(element, { name: value })} />
      </Form.Item>
      <Form.Item label={t('enabled')} help={t('enabledHelp')}>
        <Switch checked={Boolean(link)} onChange={(on) => save(on ? EMPTY : null)} data-testid="public-link-enabled" />
      </Form.Item>
      {link && (
        <>
          <Form.Item label={t('form')}>
            <Select
              value={link.form || undefined}
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="public-link-form-key"
              options={data.forms.map((form) => ({ value: form.key, label: `${pickText(form.title, locale, form.key)} (${form.key})` }))}
              onChange={(form: string) => change({ form })}
            />
          </Form.Item>
          <Form.Item label={t('message')} help={t('messageHelp')}>
            <AutoComplete
              value={link.message}
              options={messageNames(definitionsOf(bo)).map((value) => ({ value }))}
              onChange={(message: string) => change({ message })}
              data-testid="public-link-message"
            />
          </Form.Item>
          <Form.Item label={t('expires')}>
            <InputNumber
              min={1}
              max={365}
              precision={0}
              placeholder={t('never')}
              value={days?.unit === 'days' ? days.amount : undefined}
              onChange={(value) => change({ expiresIn: value ? `P${value}D` : '' })}
              data-testid="public-link-expires-days"
            />
          </Form.Item>
          <Form.Item label={t('variable')}>
            <CommitInput key={`${element.id}:variable:${link.variable}`} value={link.variable} placeholder="publicLink" testId="public-link-variable" onCommit={(variable) => change({ variable })} />
          </Form.Item>
          <Form.Item label={t('notify')} help={t('notifyHelp')}>
            <AutoComplete
              value={link.notify}
              options={data.users.filter((user) => user.active).map((user) => ({ value: user.username, label: `${user.displayName} (${user.username})` }))}
              onChange={(notify: string) => change({ notify })}
              data-testid="public-link-notify"
            />
          </Form.Item>
          <Form.Item label={t('prefill')}>
            <Space direction="vertical" style={{ width: '100%' }}>
              {link.prefill.map((entry, index) => (
                <Space.Compact key={index} style={{ width: '100%' }}>
                  <CommitInput
                    key={`${index}:field:${entry.field}`}
                    placeholder={t('field')}
                    value={entry.field}
                    testId={`public-link-prefill-field-${index}`}
                    onCommit={(field) => change({ prefill: link.prefill.map((e, i) => (i === index ? { ...e, field } : e)) })}
                  />
                  <CommitInput
                    key={`${index}:value:${entry.value}`}
                    placeholder={t('value')}
                    value={entry.value}
                    testId={`public-link-prefill-value-${index}`}
                    onCommit={(value) => change({ prefill: link.prefill.map((e, i) => (i === index ? { ...e, value } : e)) })}
                  />
                  <Tooltip title={entry.hidden ? t('hidden') : t('shown')}>
                    <Button
                      icon={entry.hidden ? <EyeInvisibleOutlined /> : <EyeOutlined />}
                      aria-label={entry.hidden ? t('hidden') : t('shown')}
                      data-testid={`public-link-prefill-hidden-${index}`}
                      onClick={() =>
                        change({
                          prefill: link.prefill.map((e, i) => (i === index ? { field: e.field, value: e.value, ...(e.hidden ? {} : { hidden: true }) } : e)),
                        })
                      }
                    />
                  </Tooltip>
                  <Button icon={<DeleteOutlined />} onClick={() => change({ prefill: link.prefill.filter((_, i) => i !== index) })} />
                </Space.Compact>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => change({ prefill: [...link.prefill, { field: '', value: '' }] })}>
                {t('add')}
              </Button>
            </Space>
          </Form.Item>
        </>
      )}
    </Form>
  );
}
