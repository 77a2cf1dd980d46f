/**
 * 保留期限 of a form (GET/PUT /api/forms/:key/retention): after a period counted from creation or
 * the last change, the form's records are erased or their personal fields anonymised by the
 * daily retention job. Off = no period (PUT null).
 */
import { Alert, App, Button, Form, InputNumber, Radio, Select, Space, Spin, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorText } from '../admin/shared.tsx';
import { useLoad } from '../api/useLoad.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { privacyApi, type Retention } from './api.ts';
import { privacyMessages } from './messages.ts';

type Unit = 'Y' | 'M' | 'D';

/** `P3Y` → 3 years; anything else the server may hold (P1Y6M) is shown in days' stead only if simple. */
export function parsePeriod(after: string): { amount: number; unit: Unit } | null {
  const match = /^P(\d+)([YMD])$/.exec(after);
  return match ? { amount: Number(match[1]), unit: match[2] as Unit } : null;
}

export function RetentionSettings({ formKey }: { formKey: string }) {
  const t = useMessages(privacyMessages);
  const { message } = App.useApp();
  const loaded = useLoad(() => privacyApi.retention(formKey), [formKey]);
  const [on, setOn] = useState(false);
  const [amount, setAmount] = useState(3);
  const [unit, setUnit] = useState<Unit>('Y');
  const [basis, setBasis] = useState<Retention['basis']>('createdAt');
  const [action, setAction] = useState<Retention['action']>('anonymise');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const stored = loaded.data;
    setOn(!!stored);
    if (!stored) return;
    const period = parsePeriod(stored.after);
    if (period) {
      setAmount(period.amount);
      setUnit(period.unit);
    }
    setBasis(stored.basis);
    setAction(stored.action);
  }, [loaded.data]);

  if (loaded.loading && loaded.data === undefined) return <Spin />;

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await privacyApi.saveRetention(formKey, on ? { after: `P${amount}${unit}`, basis, action } : null);
      message.success(t('retentionSaved'));
      await loaded.reload();
    } catch (e) {
      setError(errorText(e));
      message.error(t('failed', { error: errorText(e) }));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="retention-settings">
      <Typography.Paragraph type="secondary">{t('retentionIntro')}</Typography.Paragraph>
      {loaded.error ? <Alert type="error" showIcon title={t('loadFailed')} description={errorText(loaded.error)} /> : null}
      {error ? <Alert type="error" showIcon title={error} data-testid="retention-error" /> : null}
      <Form layout="horizontal" component="div" labelCol={{ flex: '120px' }}>
        <Form.Item label={t('retentionOn')}>
          <Switch checked={on} onChange={setOn} data-testid="retention-on" />
        </Form.Item>
        <Form.Item label={t('retentionAfter')}>
          <Space>
            <InputNumber min={1} max={unit === 'D' ? 36500 : unit === 'M' ? 1200 : 100} value={amount} disabled={!on} onChange={(v) => setAmount(v ?? 1)} data-testid="retention-amount" />
            <Select
              style={{ width: 100 }}
              value={unit}
              disabled={!on}
              onChange={setUnit}
              options={[{ value: 'Y', label: t('years') }, { value: 'M', label: t('months') }, { value: 'D', label: t('days') }]}
              data-testid="retention-unit"
            />
          </Space>
        </Form.Item>
        <Form.Item label={t('basis')}>
          <Radio.Group value={basis} disabled={!on} onChange={(e) => setBasis(e.target.value)} data-testid="retention-basis">
            <Radio value="createdAt">{t('createdAt')}</Radio>
            <Radio value="updatedAt">{t('updatedAt')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item label={t('retentionAction')}>
          <Radio.Group value={action} disabled={!on} onChange={(e) => setAction(e.target.value)} data-testid="retention-action">
            <Radio value="anonymise">{t('anonymise')}</Radio>
            <Radio value="erase">{t('erase')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item label=" " colon={false}>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="retention-save">
            {t('save')}
          </Button>
        </Form.Item>
      </Form>
    </Space>
  );
}
