/**
 * 外链 on a form's data page (admins): a drawer to publish the form at a public link, copy
 * the address, see each link's state and answers, and withdraw it.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Divider, Drawer, Typography } from 'antd';
import { LinkOutlined } from '@ant-design/icons';
import { useMessages } from '../i18n/i18n.tsx';
import { publicLinksApi, type PublicLink } from './api.ts';
import { publicLinkMessages } from './i18n.ts';
import { PublicLinkCreateForm } from './PublicLinkCreateForm.tsx';
import { PublicLinksTable } from './PublicLinksTable.tsx';

export function PublicLinksButton({ formKey, formTitle }: { formKey: string; formTitle: string }) {
  const t = useMessages(publicLinkMessages);
  const [open, setOpen] = useState(false);
  const [links, setLinks] = useState<PublicLink[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    setLoading(true);
    publicLinksApi
      .list(formKey)
      .then((list) => {
        setLinks(list);
        setError(null);
      }, (e: Error) => setError(e.message))
      .finally(() => setLoading(false));
  }, [formKey]);
  useEffect(() => {
    if (open) load();
  }, [open, load]);

  const replace = (changed: PublicLink) => setLinks((list) => list.map((link) => (link.id === changed.id ? changed : link)));
  const startsProcess = links.some((link) => link.kind === 'start');

  return (
    <>
      <Button icon={<LinkOutlined />} onClick={() => setOpen(true)} data-testid="public-links-open">
        {t('button')}
      </Button>
      <Drawer open={open} onClose={() => setOpen(false)} width={840} title={t('drawerTitle', { form: formTitle })} data-testid="public-links-drawer">
        <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
        {startsProcess && <Alert type="info" showIcon title={t('introStart')} style={{ marginBottom: 12 }} />}
        <PublicLinkCreateForm formKey={formKey} onCreated={(link) => setLinks((list) => [link, ...list])} />
        <Divider />
        {error && <Alert type="error" title={t('loadFailed')} description={error} style={{ marginBottom: 12 }} />}
        <PublicLinksTable formKey={formKey} links={links} loading={loading} onChanged={replace} />
      </Drawer>
    </>
  );
}
