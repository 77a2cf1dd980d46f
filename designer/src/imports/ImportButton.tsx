/**
 * 导入 on a form's data page: upload a file → map its columns and see the preview's problems →
 * choose the mode and whether automations run → start → live progress with cancel → summary
 * and the report of refused rows. `onImported` lets the page reload its list.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Modal, Radio, Space, Spin, Typography, Upload } from 'antd';
import { InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useMessages } from '../i18n/i18n.tsx';
import { useRealtime } from '../realtime/socket.tsx';
import { importsApi, type ImportJob, type ImportMode } from './api.ts';
import { FINISHED, laterJob } from './laterJob.ts';
import { importMessages } from './i18n.ts';
import { MappingStep } from './MappingStep.tsx';
import { ProgressStep } from './ProgressStep.tsx';

export function ImportButton({ formKey, onImported }: { formKey: string; onImported: () => void }) {
  const t = useMessages(importMessages);
  const [open, setOpen] = useState(false);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<ImportMode>('skip_bad_rows');
  const [runAutomations, setRunAutomations] = useState(false);
  const started = job !== null && job.status !== 'uploaded';
  const finished = job !== null && FINISHED.includes(job.status);

  const act = useCallback(async (work: () => Promise<ImportJob | void>) => {
    setBusy(true);
    setError(null);
    try {
      const next = await work();
      if (next) setJob((current) => laterJob(current, next));
    } catch (e) {
      setError(t('failedAction', { error: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  }, [t]);

  useRealtime('import.progress', (payload) => {
    setJob((current) => (current && payload.importId === current.id ? laterJob(current, { ...current, ...payload }) : current));
  });

  // A slow poll besides the socket: the page still ends when the socket is down.
  useEffect(() => {
    if (!job || !started || finished) return;
    const timer = setInterval(() => {
      importsApi.get(formKey, job.id).then((next) => setJob((current) => laterJob(current, next)), () => {});
    }, 3000);
    return () => clearInterval(timer);
  }, [formKey, job?.id, started, finished]);

  useEffect(() => {
    if (finished && job && job.imported > 0) onImported();
  }, [finished]);

  const close = () => {
    setOpen(false);
    setJob(null);
    setError(null);
  };

  const footer = !job
    ? [<Button key="close" onClick={close}>{t('close')}</Button>]
    : !started
      ? [
          <Button key="close" onClick={close}>{t('close')}</Button>,
          <Button key="start" type="primary" loading={busy} data-testid="import-start" onClick={() => act(() => importsApi.start(formKey, job.id, job.mapping, mode, runAutomations))}>
            {t('start')}
          </Button>,
        ]
      : finished
        ? [
            <Button key="again" onClick={() => setJob(null)}>{t('again')}</Button>,
            <Button key="close" type="primary" onClick={close} data-testid="import-close">{t('close')}</Button>,
          ]
        : [];

  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid="records-import">
        {t('import')}
      </Button>
      <Modal open={open} title={t('title')} width={960} onCancel={started && !finished ? undefined : close} closable={!started || finished} footer={footer} destroyOnHidden>
        {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} data-testid="import-error" />}
        {!job && (
          <Spin spinning={busy} tip={t('uploading')}>
            <Upload.Dragger
              accept=".xlsx,.csv"
              showUploadList={false}
              customRequest={({ file }) => act(() => importsApi.upload(formKey, file as File))}
              data-testid="import-upload"
            >
              <p className="ant-upload-drag-icon"><InboxOutlined /></p>
              <p>{t('upload')}</p>
              <Typography.Text type="secondary">{t('uploadHint')}</Typography.Text>
            </Upload.Dragger>
          </Spin>
        )}
        {job && !started && (
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Typography.Text>
              {job.fileName} · {t('rows', { count: job.totalRows })}
            </Typography.Text>
            <MappingStep job={job} onMapping={(mapping) => act(() => importsApi.preview(formKey, job.id, mapping))} />
            <Space direction="vertical">
              <Typography.Text strong>{t('mode')}</Typography.Text>
              <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} data-testid="import-mode">
                <Space direction="vertical">
                  <Radio value="skip_bad_rows">{t('skipBad')}</Radio>
                  <Radio value="all_or_nothing">{t('allOrNothing')}</Radio>
                </Space>
              </Radio.Group>
              <Checkbox checked={runAutomations} onChange={(e) => setRunAutomations(e.target.checked)} data-testid="import-automations">
                {t('automations')}
              </Checkbox>
            </Space>
          </Space>
        )}
        {job && started && <ProgressStep job={job} cancelling={busy} onCancel={() => act(() => importsApi.cancel(formKey, job.id))} />}
      </Modal>
    </>
  );
}
