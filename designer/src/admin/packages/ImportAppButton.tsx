/**
 * 导入应用: upload a package → the server's preview (what is added and changed per part; an
 * upgrade's merge with the admin's changes and its conflicts, each decided "keep mine" or "take
 * theirs") → Import (one transaction) → a toast, and the instance-migration offer for processes
 * deployed anew, which the admin may run.
 */
import { InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Radio, Space, Spin, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { pickText, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { errorText } from '../shared.tsx';
import { packagesApi, type MergeConflict, type MigrationOffer, type PackagePreview, type PartChange } from './api.ts';
import { ConflictSide, ConflictWhere } from './ConflictView.tsx';
import { packageMessages } from './i18n.ts';

const PARTS = ['forms', 'workflows', 'routing', 'automations', 'messageTemplates', 'printTemplates', 'dashboards', 'roles', 'permissions'] as const;
type Part = (typeof PARTS)[number];
const STATUS_COLOR = { new: 'green', changed: 'orange', unchanged: 'default' } as const;

export function ImportAppButton({ onImported }: { onImported: () => void }) {
  const t = useMessages(packageMessages);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<PackagePreview | null>(null);
  const [result, setResult] = useState<PackagePreview | null>(null);
  const [choices, setChoices] = useState<Record<string, 'ours' | 'theirs'>>({});
  const [busy, setBusy] = useState<'checking' | 'importing' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    setOpen(false);
    setFile(null);
    setPreview(null);
    setResult(null);
    setChoices({});
    setError(null);
  };

  const check = async (chosen: File) => {
    setFile(chosen);
    setBusy('checking');
    setError(null);
    try {
      setPreview(await packagesApi.preview(chosen));
    } catch (e) {
      setError(t('previewFailed', { error: errorText(e) }));
    } finally {
      setBusy(null);
    }
  };

  const conflicts = preview?.merge?.conflicts ?? [];
  const undecided = conflicts.some((conflict) => !choices[conflict.id]);

  const runImport = async () => {
    if (!file || !preview) return;
    setBusy('importing');
    setError(null);
    try {
      const done = await packagesApi.importPackage(file, choices);
      setResult(done);
      message.success(t('imported', { app: pickText(done.app.name, locale), version: done.app.version }));
      onImported();
    } catch (e) {
      setError(t('failed', { error: errorText(e) }));
    } finally {
      setBusy(null);
    }
  };

  const footer = result
    ? [<Button key="close" type="primary" onClick={close} data-testid="app-import-close">{t('close')}</Button>]
    : [
        <Button key="cancel" onClick={close}>{t('cancel')}</Button>,
        preview ? (
          <Button key="import" type="primary" loading={busy === 'importing'} disabled={undecided || busy !== null} onClick={() => void runImport()} data-testid="app-import-confirm">
            {t('doImport')}
          </Button>
        ) : null,
      ];

  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid="app-import">
        {t('import')}
      </Button>
      <Modal open={open} title={t('importTitle')} width={960} onCancel={busy ? undefined : close} footer={footer} destroyOnHidden>
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="app-import-error" /> : null}
        {!preview ? (
          <Spin spinning={busy === 'checking'} tip={t('checking')}>
            <Upload.Dragger accept=".json" showUploadList={false} customRequest={({ file: chosen }) => void check(chosen as File)} data-testid="app-import-upload">
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p>{t('upload')}</p>
              <Typography.Text type="secondary">{t('uploadHint')}</Typography.Text>
            </Upload.Dragger>
          </Spin>
        ) : (
          <Spin spinning={busy === 'importing'} tip={t('importing')}>
            <PreviewView preview={preview} choices={choices} onChoose={(id, side) => setChoices({ ...choices, [id]: side })} />
            {result ? <ResultView result={result} /> : null}
          </Spin>
        )}
      </Modal>
    </>
  );
}

function PreviewView({ preview, choices, onChoose }: { preview: PackagePreview; choices: Record<string, 'ours' | 'theirs'>; onChoose: (id: string, side: 'ours' | 'theirs') => void }) {
  const t = useMessages(packageMessages);
  const { locale } = useLocale();
  const rows = PARTS.flatMap((part) => (preview.diff[part] ?? []).map((change) => ({ part, ...change })));
  const changed = rows.filter((row) => row.status !== 'unchanged');
  const records = Object.entries(preview.diff.records ?? {});
  const details = (row: PartChange) =>
    [
      row.fieldsAdded?.length ? t('fieldsAdded', { fields: row.fieldsAdded.join(', ') }) : '',
      row.fieldsRemoved?.length ? t('fieldsRemoved', { fields: row.fieldsRemoved.join(', ') }) : '',
      row.fieldsChanged?.length ? t('fieldsChanged', { fields: row.fieldsChanged.join(', ') }) : '',
    ]
      .filter(Boolean)
      .join(' · ');
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="app-import-preview">
      <Space>
        <Typography.Text strong>
          {pickText(preview.app.name, locale)} {preview.app.version}
        </Typography.Text>
        <Tag color="blue" data-testid="app-import-mode">{t(`mode_${preview.mode}`)}</Tag>
        {preview.installedVersion ? <Typography.Text type="secondary">{t('overVersion', { version: preview.installedVersion })}</Typography.Text> : null}
      </Space>
      {changed.length === 0 ? <Alert type="info" title={t('nothingChanges')} /> : null}
      <Table
        size="small"
        pagination={false}
        rowKey={(row) => `${row.part}/${row.key}`}
        dataSource={changed}
        data-testid="app-import-changes"
        columns={[
          { title: t('part'), width: 140, render: (_, row) => t(`part_${row.part as Part}`) },
          { title: t('key'), render: (_, row) => <Typography.Text code>{row.key}</Typography.Text> },
          { title: t('status'), width: 90, render: (_, row) => <Tag color={STATUS_COLOR[row.status]}>{t(`status_${row.status}`)}</Tag> },
          { title: t('details'), render: (_, row) => details(row) },
        ]}
      />
      {records.length ? (
        <Typography.Text data-testid="app-import-records">
          {t('records', { list: records.map(([form, n]) => `${form} ${n}`).join(', ') })}
          {preview.recordsIgnored ? ` (${t('recordsIgnored')})` : ''}
        </Typography.Text>
      ) : null}
      {preview.merge ? <Typography.Text type="secondary">{t('merged', { n: preview.merge.changes.length })}</Typography.Text> : null}
      {preview.merge?.conflicts.length ? (
        <>
          <Typography.Text strong type="warning">
            {t('conflicts', { n: preview.merge.conflicts.length })}
          </Typography.Text>
          <Table<MergeConflict>
            size="small"
            pagination={false}
            rowKey="id"
            dataSource={preview.merge.conflicts}
            data-testid="app-import-conflicts"
            columns={[
              { title: t('conflict'), render: (_, c) => <ConflictWhere conflict={c} /> },
              { title: t('ours'), render: (_, c) => <ConflictSide value={c.ours} other={c.theirs} /> },
              { title: t('theirs'), render: (_, c) => <ConflictSide value={c.theirs} other={c.ours} /> },
              {
                title: '',
                width: 220,
                render: (_, c) => (
                  <Radio.Group value={choices[c.id]} onChange={(e) => onChoose(c.id, e.target.value)} data-testid={`app-import-choice-${c.id}`}>
                    <Radio value="ours">{t('ours')}</Radio>
                    <Radio value="theirs">{t('theirs')}</Radio>
                  </Radio.Group>
                ),
              },
            ]}
          />
        </>
      ) : null}
      {preview.outcome.warnings.map((warning) => (
        <Alert key={warning} type="warning" showIcon title={warning} />
      ))}
    </Space>
  );
}

function ResultView({ result }: { result: PackagePreview }) {
  const t = useMessages(packageMessages);
  const offers = result.instanceMigrations ?? [];
  return (
    <Space orientation="vertical" style={{ width: '100%', marginTop: 16 }} data-testid="app-import-result">
      <Alert type="success" showIcon title={t('imported', { app: result.app.key, version: result.app.version })} />
      {offers.length ? <Typography.Text>{t('migrations')}</Typography.Text> : null}
      {offers.map((offer) => (
        <MigrationOfferRow key={offer.processKey} offer={offer} />
      ))}
    </Space>
  );
}

function MigrationOfferRow({ offer }: { offer: MigrationOffer }) {
  const t = useMessages(packageMessages);
  const { message } = App.useApp();
  const [moving, setMoving] = useState(false);
  const [moved, setMoved] = useState<number | null>(null);
  const migrate = async () => {
    setMoving(true);
    try {
      const answer = await api.post<{ migrated: unknown[] }>(`/definitions/${encodeURIComponent(offer.processKey)}/migrate`, { from: offer.from.version, to: offer.to.version });
      setMoved(answer.migrated.length);
      message.success(t('migrated', { n: answer.migrated.length }));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setMoving(false);
    }
  };
  return (
    <Space data-testid={`app-import-migration-${offer.processKey}`}>
      <Typography.Text>
        {t('migrationLine', { process: offer.processKey, from: offer.from.version, to: offer.to.version, movable: offer.movable.length, blocked: offer.notMovable.length })}
      </Typography.Text>
      {offer.movable.length && moved === null ? (
        <Button size="small" loading={moving} onClick={() => void migrate()}>
          {t('migrate', { n: offer.movable.length })}
        </Button>
      ) : null}
      {moved !== null ? <Tag color="green">{t('migrated', { n: moved })}</Tag> : null}
    </Space>
  );
}
