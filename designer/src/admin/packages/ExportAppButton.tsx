/** 导出应用: a dialog with "include records", downloading `<key>-<version>.lzapp.json` (the browser's own download). */
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Checkbox, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useMessages } from '../../i18n/i18n.tsx';
import { packagesApi } from './api.ts';
import { packageMessages } from './i18n.ts';

export function ExportAppButton({ appKey, appName }: { appKey: string; appName: string }) {
  const t = useMessages(packageMessages);
  const [open, setOpen] = useState(false);
  const [records, setRecords] = useState(false);
  return (
    <>
      <Button size="small" icon={<DownloadOutlined />} onClick={() => setOpen(true)} data-testid={`app-${appKey}-export`}>
        {t('export')}
      </Button>
      <Modal
        open={open}
        title={t('exportTitle', { app: appName })}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        footer={[
          <Button key="cancel" onClick={() => setOpen(false)}>
            {t('cancel')}
          </Button>,
          // A plain link: the server's Content-Disposition names the file, the session cookie authorises it.
          <Button key="download" type="primary" icon={<DownloadOutlined />} href={packagesApi.exportUrl(appKey, records)} onClick={() => setOpen(false)} data-testid="app-export-download">
            {t('download')}
          </Button>,
        ]}
      >
        <Typography.Paragraph type="secondary">{t('exportHint')}</Typography.Paragraph>
        <Checkbox checked={records} onChange={(e) => setRecords(e.target.checked)} data-testid="app-export-records">
          {t('includeRecords')}
        </Checkbox>
      </Modal>
    </>
  );
}
