/** The one time a secret is shown whole: after creating a subscription or a hook. */
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useMessages } from '../i18n/i18n.tsx';
import { webhookMessages } from './messages.ts';

export function SecretModal({ secret, extra, onClose }: { secret: string | null; extra?: React.ReactNode; onClose(): void }) {
  const t = useMessages(webhookMessages);
  return (
    <Modal
      open={secret !== null}
      title={t('secret')}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose} data-testid="webhook-secret-done">
          {t('done')}
        </Button>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert type="warning" showIcon title={t('secretOnce')} />
        <Typography.Text code copyable data-testid="webhook-secret">
          {secret}
        </Typography.Text>
        {extra}
      </Space>
    </Modal>
  );
}
