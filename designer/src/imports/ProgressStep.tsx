/**
 * Step 4 of an import: the live progress (from `import.progress` socket events, with a slow
 * poll as a fallback when the socket is down), cancel, and at the end the summary with the
 * report of refused rows.
 */
import { Alert, Button, Progress, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useMessages } from '../i18n/i18n.tsx';
import { importsApi, type ImportJob } from './api.ts';
import { importMessages } from './i18n.ts';
import { FINISHED } from './laterJob.ts';

export function ProgressStep({ job, onCancel, cancelling }: { job: ImportJob; onCancel: () => void; cancelling: boolean }) {
  const t = useMessages(importMessages);
  const percent = job.totalRows ? Math.floor((job.rowsDone / job.totalRows) * 100) : 100;
  const eta = job.etaSeconds === null ? '—' : job.etaSeconds >= 120 ? t('minutes', { n: Math.ceil(job.etaSeconds / 60) }) : t('seconds', { n: job.etaSeconds });
  const finished = FINISHED.includes(job.status);
  const counts = { imported: job.imported, refused: job.refused, error: job.error ?? '' };
  const summary =
    job.status === 'done' ? (
      <Alert type={job.refused ? 'warning' : 'success'} title={t('done', counts)} data-testid="import-summary" />
    ) : job.status === 'failed' ? (
      <Alert type="error" title={t('failed', counts)} data-testid="import-summary" />
    ) : (
      <Alert type="info" title={t(job.status === 'cancelled' ? 'cancelled' : 'interrupted', counts)} data-testid="import-summary" />
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="import-progress">
      <Progress percent={percent} status={finished ? (job.status === 'done' ? 'success' : 'exception') : 'active'} />
      <Typography.Text data-testid="import-speed">
        {/* Time left means nothing once the import has ended. */}
        {t(finished ? 'speedDone' : 'speed', { done: job.rowsDone, total: job.totalRows, rate: job.rowsPerSecond ?? '—', eta })}
      </Typography.Text>
      {!finished && (
        <Button danger onClick={onCancel} loading={cancelling || job.status === 'cancelling'} data-testid="import-cancel">
          {job.status === 'cancelling' ? t('cancelling') : t('cancel')}
        </Button>
      )}
      {finished && summary}
      {finished && job.refused > 0 && (
        <Button icon={<DownloadOutlined />} href={importsApi.reportUrl(job.formKey, job.id)} data-testid="import-report">
          {t('report')}
        </Button>
      )}
    </Space>
  );
}
