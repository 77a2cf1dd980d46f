/**
 * 显示 beside a masked personal value (138****0000): asks the server for the clear value
 * (POST …/records/:id/unmask, allowed with the 查看明文 right and logged in the audit log), hands
 * it to the page and says that the view was logged.
 */
import { EyeOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useState } from 'react';
import { errorText } from '../admin/shared.tsx';
import { useMessages } from '../i18n/i18n.tsx';
import { privacyApi } from './api.ts';
import { privacyMessages } from './messages.ts';

export function UnmaskButton(props: { formKey: string; recordId: string; field: string; onClear(value: unknown): void }) {
  const t = useMessages(privacyMessages);
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const reveal = async () => {
    setBusy(true);
    try {
      const answer = await privacyApi.unmask(props.formKey, props.recordId, [props.field]);
      props.onClear(answer.data[props.field]);
      message.info(t('unmasked'));
    } catch (error) {
      message.error(t('unmaskFailed', { error: errorText(error) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button size="small" type="link" icon={<EyeOutlined />} loading={busy} onClick={() => void reveal()} data-testid={`unmask-${props.field}`}>
      {t('show')}
    </Button>
  );
}
