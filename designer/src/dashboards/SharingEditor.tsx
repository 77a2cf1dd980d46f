/** 共享: who sees the dashboard — chosen users, roles, departments, or everyone. Each sees only the records they may see. */
import { Checkbox, Form, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { call } from '../api/client.ts';
import { useLoad } from '../api/useLoad.ts';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { messages } from './messages.ts';
import type { Sharing } from './model.ts';

export function SharingEditor({ open, sharing, error, onDone, onCancel }: { open: boolean; sharing: Sharing; error?: string; onDone: (sharing: Sharing) => void; onCancel: () => void }) {
  const t = useMessages(messages);
  const { locale } = useLocale();
  const [draft, setDraft] = useState(sharing);
  useEffect(() => setDraft(sharing), [sharing, open]);
  const users = useLoad(() => (open ? call('listUsers') : Promise.resolve([])), [open]);
  const departments = useLoad(() => (open ? call('listDepartments') : Promise.resolve([])), [open]);
  return (
    <Modal open={open} title={t('sharing')} onCancel={onCancel} onOk={() => onDone(draft)} okText={t('done')} cancelText={t('cancel')} destroyOnHidden>
      <Form layout="vertical" data-testid="sharing-editor">
        <Form.Item validateStatus={error ? 'error' : undefined} help={error}>
          <Checkbox data-testid="sharing-everyone" checked={draft.everyone} onChange={(event) => setDraft({ ...draft, everyone: event.target.checked })}>
            {t('shareEveryone')}
          </Checkbox>
        </Form.Item>
        <Form.Item label={t('shareUsers')}>
          <Select
            mode="multiple"
            data-testid="sharing-users"
            disabled={draft.everyone}
            showSearch={{ optionFilterProp: 'label' }}
            value={draft.users}
            onChange={(next: string[]) => setDraft({ ...draft, users: next })}
            options={(users.data ?? []).map((user) => ({ value: user.username, label: `${user.displayName} (${user.username})` }))}
          />
        </Form.Item>
        <Form.Item label={t('shareRoles')}>
          <Select mode="tags" disabled={draft.everyone} value={draft.roles} onChange={(next: string[]) => setDraft({ ...draft, roles: next })} options={[{ value: 'admin' }, { value: 'staff' }]} />
        </Form.Item>
        <Form.Item label={t('shareDepartments')}>
          <Select
            mode="multiple"
            data-testid="sharing-departments"
            disabled={draft.everyone}
            value={draft.departments}
            onChange={(next: string[]) => setDraft({ ...draft, departments: next })}
            options={(departments.data ?? []).map((department) => ({ value: department.id, label: locale === 'en' ? (department.nameEn ?? department.name) : department.name }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
