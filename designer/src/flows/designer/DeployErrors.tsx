/**
 * The deploy's 422 details (and warnings) as a list beside the canvas. Each detail's
 * `pointer` is the element id (engine/bpmn/compile.ts `toDetail`); a detail whose element is
 * on the canvas is clickable and selects it.
 */
import { Alert, Typography } from 'antd';
import { useMessages } from '../../i18n/i18n.tsx';

export interface DeployDetail {
  pointer: string;
  message: string;
  line?: number;
}

const messages = {
  zh: {
    errors: '发布失败：请修正以下 {count} 个问题',
    warnings: '已发布，但有 {count} 条提醒',
    model: '整个流程',
    line: '第 {line} 行',
  },
  en: {
    errors: 'Deploy refused: fix these {count} problems',
    warnings: 'Deployed with {count} warnings',
    model: 'The whole flow',
    line: 'line {line}',
  },
};

export interface DeployErrorsProps {
  kind: 'error' | 'warning';
  details: DeployDetail[];
  /** Element ids present on the canvas (those rows are links). */
  onCanvas: (elementId: string) => string | null;
  onSelect(elementId: string): void;
  onClose(): void;
}

export function DeployErrors({ kind, details, onCanvas, onSelect, onClose }: DeployErrorsProps) {
  const t = useMessages(messages);
  if (details.length === 0) return null;
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
            const name = detail.pointer ? onCanvas(detail.pointer) : null;
            return (
              <li key={index} data-testid={`deploy-error-${index}`} data-element-id={detail.pointer} style={{ padding: '2px 0' }}>
                {name !== null ? (
                  <Typography.Link onClick={() => onSelect(detail.pointer)} data-testid={`deploy-error-link-${detail.pointer}`}>
                    {name || detail.pointer}
                  </Typography.Link>
                ) : (
                  <Typography.Text strong>{detail.pointer || t('model')}</Typography.Text>
                )}
                {detail.line !== undefined && <Typography.Text type="secondary"> ({t('line', { line: detail.line })})</Typography.Text>}
                ：{detail.message}
              </li>
            );
          })}
        </ul>
      }
    />
  );
}
