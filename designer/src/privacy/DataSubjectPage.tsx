/**
 * 个人信息 (admins): a data subject's rights under PIPL. The admin enters what identifies the
 * person (phone, e-mail, ID number, name) and 查找 lists everything naming them, grouped by kind
 * (records, history entries, notifications); 导出报告 downloads the full JSON report; 删除 /
 * 匿名化 — after a confirmation — erases or anonymises all of it and shows the server's report.
 */
import { DeleteOutlined, DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Collapse, Empty, Form, Input, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { detailsByPointer, errorText, fieldError } from '../admin/shared.tsx';
import { useMessages } from '../i18n/i18n.tsx';
import { privacyApi, type Identifiers } from './api.ts';
import { privacyMessages } from './messages.ts';

const IDENTIFIERS = ['phone', 'email', 'idNumber', 'name'] as const;
/** The kinds of things a search finds, named in the messages. */
const KIND_KEYS = ['records', 'instances', 'taskActions', 'notifications'] as const;
type KindKey = (typeof KIND_KEYS)[number];

/** One finding in a line: a record's form, id and the fields naming the person; else its JSON. */
function describe(item: unknown): string {
  const hit = item as { formKey?: string; id?: string; fields?: string[] };
  if (hit && typeof hit === 'object' && hit.formKey && hit.id) return `${hit.formKey} · ${hit.id}${hit.fields?.length ? ` · ${hit.fields.join(', ')}` : ''}`;
  return JSON.stringify(item);
}

/** The lists of a search answer by kind (`{records: […], history: […], …}`, or nested under `findings`). */
export function groupsOf(answer: Record<string, unknown> | null): [string, unknown[]][] {
  if (!answer) return [];
  const source = answer.findings && typeof answer.findings === 'object' ? (answer.findings as Record<string, unknown>) : answer;
  return Object.entries(source).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
}

function clean(identifiers: Identifiers): Identifiers {
  return Object.fromEntries(Object.entries(identifiers).map(([key, value]) => [key, (value ?? '').trim()]).filter(([, value]) => value)) as Identifiers;
}

function download(name: string, content: unknown) {
  const blob = new Blob([JSON.stringify(content, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function DataSubjectPage() {
  const t = useMessages(privacyMessages);
  const { message, modal } = App.useApp();
  const [identifiers, setIdentifiers] = useState<Identifiers>({});
  const [searched, setSearched] = useState<Identifiers | null>(null);
  const [found, setFound] = useState<Record<string, unknown> | null>(null);
  const [report, setReport] = useState<Record<string, unknown> | null>(null);
  const [mode, setMode] = useState<'anonymise' | 'delete'>('anonymise');
  const [busy, setBusy] = useState<'find' | 'export' | 'erase' | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** A 422's messages by identifier (`/identifiers/phone`). */
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const run = async <T,>(kind: 'find' | 'export' | 'erase', work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(kind);
    setError(null);
    setFieldErrors({});
    try {
      return await work();
    } catch (e) {
      setFieldErrors(detailsByPointer(e));
      setError(errorText(e));
      return undefined;
    } finally {
      setBusy(null);
    }
  };

  const find = async () => {
    const wanted = clean(identifiers);
    if (!Object.keys(wanted).length) {
      setError(t('needIdentifier'));
      return;
    }
    setReport(null);
    const answer = await run('find', () => privacyApi.search(wanted));
    if (answer) {
      setFound(answer);
      setSearched(wanted);
    }
  };

  const exportReport = async () => {
    if (!searched) return;
    const answer = await run('export', () => privacyApi.export(searched));
    if (answer) {
      download(`personal-data-${new Date().toISOString().slice(0, 10)}.json`, answer);
      message.success(t('exported'));
    }
  };

  const erase = () => {
    if (!searched) return;
    modal.confirm({
      title: t('eraseTitle'),
      content: `${t('eraseHint')} ${mode === 'delete' ? t('modeDelete') : t('modeAnonymise')}`,
      okText: t('eraseConfirm'),
      cancelText: t('cancel'),
      okButtonProps: { danger: true, 'data-testid': 'subject-erase-confirm' } as never,
      onOk: async () => {
        const answer = await run('erase', () => privacyApi.erase(searched, mode));
        if (answer) {
          setReport(answer);
          setFound(null);
          message.success(t('erased'));
        }
      },
    });
  };

  const groups = groupsOf(found);
  const total = groups.reduce((sum, [, items]) => sum + items.length, 0);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="data-subject">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('subjectTitle')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('subjectIntro')}</Typography.Paragraph>
      <Card size="small">
        <Form layout="inline" component="div" onKeyDown={(event) => event.key === 'Enter' && void find()}>
          {IDENTIFIERS.map((key) => (
            <Form.Item key={key} label={t(key)} {...fieldError(fieldErrors[`/identifiers/${key}`], `subject-error-${key}`)}>
              <Input
                style={{ width: 180 }}
                maxLength={200}
                value={identifiers[key] ?? ''}
                onChange={(event) => setIdentifiers({ ...identifiers, [key]: event.target.value })}
                data-testid={`subject-${key}`}
              />
            </Form.Item>
          ))}
          <Button type="primary" icon={<SearchOutlined />} loading={busy === 'find'} onClick={() => void find()} data-testid="subject-find">
            {t('find')}
          </Button>
        </Form>
      </Card>
      {error ? <Alert type="error" showIcon title={error} data-testid="subject-error" /> : null}
      {found ? (
        <Card
          size="small"
          title={`${t('results')} · ${t('count', { count: total })}`}
          data-testid="subject-results"
          extra={
            <Space>
              <Radio.Group size="small" value={mode} onChange={(event) => setMode(event.target.value)} data-testid="subject-erase-mode">
                <Radio value="anonymise">{t('modeAnonymise')}</Radio>
                <Radio value="delete">{t('modeDelete')}</Radio>
              </Radio.Group>
              <Button icon={<DownloadOutlined />} loading={busy === 'export'} disabled={!total} onClick={() => void exportReport()} data-testid="subject-export">
                {t('exportReport')}
              </Button>
              <Button danger icon={<DeleteOutlined />} loading={busy === 'erase'} disabled={!total} onClick={erase} data-testid="subject-erase">
                {t('eraseButton')}
              </Button>
            </Space>
          }
        >
          {total === 0 ? (
            <Empty description={t('nothingFound')} />
          ) : (
            <Collapse
              defaultActiveKey={groups.filter(([, items]) => items.length).map(([kind]) => kind)}
              items={groups.map(([kind, items]) => ({
                key: kind,
                label: (
                  <span data-testid={`subject-group-${kind}`}>
                    {KIND_KEYS.includes(kind as KindKey) ? t(kind as KindKey) : kind} · {t('count', { count: items.length })}
                  </span>
                ),
                children: (
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    {items.map((item, index) => (
                      <Typography.Text key={index} code style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>
                        {describe(item)}
                      </Typography.Text>
                    ))}
                  </Space>
                ),
              }))}
            />
          )}
        </Card>
      ) : null}
      {report ? (
        <Card size="small" title={t('report')} data-testid="subject-report">
          <pre style={{ fontSize: 12, margin: 0, maxHeight: 400, overflow: 'auto' }}>{JSON.stringify(report, null, 2)}</pre>
        </Card>
      ) : null}
    </Space>
  );
}
