/**
 * The deploy's 422 details (and warnings) as a list beside the canvas, in the admin's words:
 * which node (by its name, a link that selects it on the canvas) and what to do
 * (deployMessages.ts); the engine's own text stays available on hover for experts.
 */
import { Alert, Typography } from 'antd';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { friendlyMessage, type DeployDetail } from './deployMessages.ts';

export type { DeployDetail } from './deployMessages.ts';

const messages = {
  zh: {
    errors: '发布失败：请修正以下 {count} 个问题',
    warnings: '已发布，但有 {count} 条提醒',
    model: '整个流程',
    line: '第 {line} 行',
    node: '节点「{name}」',
    flow: '连线「{name}」',
    gateway: '分支「{name}」',
    unnamedNode: '未命名的节点',
    unnamedFlow: '一条未命名的连线',
    unnamedGateway: '一个分支（网关）',
    engineText: '引擎原文：{text}',
  },
  en: {
    errors: 'Deploy refused: fix these {count} problems',
    warnings: 'Deployed with {count} warnings',
    model: 'The whole flow',
    line: 'line {line}',
    node: 'Node "{name}"',
    flow: 'Flow "{name}"',
    gateway: 'Branch "{name}"',
    unnamedNode: 'An unnamed node',
    unnamedFlow: 'An unnamed flow',
    unnamedGateway: 'A branch (gateway)',
    engineText: 'Engine text: {text}',
  },
};

export interface CanvasElementInfo {
  name: string;
  type: string;
  /** A fill-in node (its people are 填写人, not 审批人). */
  fillIn: boolean;
}

export interface DeployErrorsProps {
  kind: 'error' | 'warning';
  details: DeployDetail[];
  /** The element's name and type when it is on the canvas (those rows are links), else null. */
  onCanvas: (elementId: string) => CanvasElementInfo | null;
  onSelect(elementId: string): void;
  onClose(): void;
}

export function DeployErrors({ kind, details, onCanvas, onSelect, onClose }: DeployErrorsProps) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  if (details.length === 0) return null;
  const what = (element: CanvasElementInfo) => {
    if (element.type === 'bpmn:SequenceFlow') return element.name ? t('flow', { name: element.name }) : t('unnamedFlow');
    if (element.type.endsWith('Gateway')) return element.name ? t('gateway', { name: element.name }) : t('unnamedGateway');
    return element.name ? t('node', { name: element.name }) : t('unnamedNode');
  };
  return (
    <Alert
      type={kind}
      showIcon
      closable={{ onClose }}
      data-testid={kind === 'error' ? 'deploy-errors' : 'deploy-warnings'}
      title={t(kind === 'error' ? 'errors' : 'warnings', { count: details.length })}
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {details.map((detail, index) => {
            const element = detail.pointer ? onCanvas(detail.pointer) : null;
            const friendly = friendlyMessage(detail, locale, element?.fillIn);
            return (
              <li key={index} data-testid={`deploy-error-${index}`} data-element-id={detail.pointer} data-code={detail.code} style={{ padding: '2px 0' }}>
                {element !== null ? (
                  <Typography.Link onClick={() => onSelect(detail.pointer)} data-testid={`deploy-error-link-${detail.pointer}`}>
                    {what(element)}
                  </Typography.Link>
                ) : (
                  <Typography.Text strong>{detail.pointer || t('model')}</Typography.Text>
                )}
                {detail.line !== undefined && !friendly && <Typography.Text type="secondary"> ({t('line', { line: detail.line })})</Typography.Text>}
                {locale === 'en' ? ': ' : '：'}
                <span title={friendly ? t('engineText', { text: detail.message }) : undefined} data-testid={`deploy-error-text-${index}`}>
                  {friendly ?? detail.message}
                </span>
              </li>
            );
          })}
        </ul>
      }
    />
  );
}
