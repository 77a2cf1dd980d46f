/**
 * `/forms/:key/access` (admins): a form's 数据权限 — its permission groups (what each gives to
 * whom, on which records, with which fields), the owner field the per-record members read, and
 * the form's 保留期限 (privacy/RetentionSettings). Groups are edited in GroupEditor's drawer.
 */
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Select, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useLoad } from '../api/useLoad.ts';
import { errorText, useOrganisation } from '../admin/shared.tsx';
import { formsApi, formTitle } from '../forms/api.ts';
import { recordFields } from '../forms/records/fields.ts';
import { pickText, useLocale, useMessages, type LocalizedText } from '../i18n/i18n.tsx';
import { RetentionSettings } from '../privacy/RetentionSettings.tsx';
import { accessApi, type PermissionGroup } from './api.ts';
import { GroupEditor, MembersSummary } from './GroupEditor.tsx';
import { accessMessages } from './messages.ts';

export function FormAccessPage() {
  const { key = '' } = useParams();
  const t = useMessages(accessMessages);
  const { locale } = useLocale();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const form = useLoad(() => formsApi.get(key), [key]);
  const groups = useLoad(() => accessApi.groups(key), [key]);
  const settings = useLoad(() => accessApi.settings(key), [key]);
  const roles = useLoad(() => accessApi.roles(), []);
  const org = useOrganisation();
  const [editor, setEditor] = useState<{ open: boolean; group: PermissionGroup | null }>({ open: false, group: null });
  const [savingOwner, setSavingOwner] = useState(false);

  const fields = useMemo(() => (form.data ? recordFields(form.data, locale) : []), [form.data, locale]);
  const users = org.data?.users ?? [];
  const departments = org.data?.departments ?? [];
  const roleList = roles.data ?? [];
  const title = form.data ? pickText(formTitle(form.data) as LocalizedText, locale) : key;

  if (form.error) return <Alert type="error" title={t('loadFailed')} description={errorText(form.error)} />;
  if (!form.data) return <Spin style={{ display: 'block', marginTop: 80 }} />;

  const saveOwner = async (ownerField: string | null) => {
    setSavingOwner(true);
    try {
      await accessApi.saveSettings(key, ownerField);
      message.success(t('ownerSaved'));
      await settings.reload();
    } catch (error) {
      message.error(t('failed', { error: errorText(error) }));
    } finally {
      setSavingOwner(false);
    }
  };

  const remove = (group: PermissionGroup) =>
    modal.confirm({
      title: t('deleteConfirm', { name: group.name }),
      content: t('deleteHint'),
      okText: t('delete'),
      cancelText: t('cancel'),
      okButtonProps: { danger: true, 'data-testid': 'group-delete-confirm' } as never,
      onOk: async () => {
        try {
          await accessApi.deleteGroup(key, group.id);
          message.success(t('deleted'));
          await groups.reload();
        } catch (error) {
          message.error(t('failed', { error: errorText(error) }));
        }
      },
    });

  const fieldTitle = (name: string) => fields.find((field) => field.name === name)?.title ?? name;
  const groupName = (group: PermissionGroup) => (locale === 'en' && group.nameEn) || group.name;
  // Person fields first: the owner is a username.
  const ownerChoices = [...fields.filter((f) => f.schema['x-widget'] === 'user-picker'), ...fields.filter((f) => f.kind === 'text' && f.schema['x-widget'] !== 'user-picker')];

  const groupsTab = (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('intro')}</Typography.Paragraph>
      <Form layout="inline" component="div">
        <Form.Item label={t('ownerField')} extra={t('ownerFieldHelp')}>
          <Select
            style={{ width: 240 }}
            loading={settings.loading || savingOwner}
            value={settings.data?.ownerField ?? ''}
            onChange={(value: string) => void saveOwner(value || null)}
            options={[{ value: '', label: t('ownerFieldNone') }, ...ownerChoices.map((f) => ({ value: f.name, label: `${f.title}（${f.name}）` }))]}
            data-testid="access-owner-field"
          />
        </Form.Item>
      </Form>
      {groups.error ? <Alert type="error" showIcon title={t('loadFailed')} description={errorText(groups.error)} /> : null}
      <Table<PermissionGroup>
        rowKey="id"
        size="middle"
        loading={groups.loading && !groups.data}
        dataSource={groups.data ?? []}
        pagination={false}
        locale={{ emptyText: t('noGroups') }}
        data-testid="access-groups"
        onRow={(group) => ({ 'data-testid': `access-group-${group.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('name'), render: (_, group) => <Typography.Text strong>{groupName(group)}</Typography.Text> },
          { title: t('groupMembers'), render: (_, group) => <MembersSummary group={group} users={users} departments={departments} roles={roleList} /> },
          { title: t('groupActions'), render: (_, group) => <Space size={[4, 4]} wrap>{group.actions.map((action) => <Tag key={action}>{t(action)}</Tag>)}</Space> },
          {
            title: t('groupFields'),
            render: (_, group) =>
              group.fields.visible === '*' ? t('allFields') : <Typography.Text title={group.fields.visible.map(fieldTitle).join('、')}>{t('someFields', { count: group.fields.visible.length })}</Typography.Text>,
          },
          { title: t('groupFilter'), render: (_, group) => (group.filter?.rules.length ? t('someRules', { count: group.filter.rules.length }) : t('noFilter')) },
          {
            title: t('operations'),
            width: 110,
            render: (_, group) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditor({ open: true, group })} data-testid={`access-group-edit-${group.name}`} aria-label={t('edit')} />
                <Button size="small" danger icon={<DeleteOutlined />} onClick={() => remove(group)} data-testid={`access-group-delete-${group.name}`} aria-label={t('delete')} />
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );

  return (
    <Card
      title={t('settingsOf', { form: title })}
      data-testid="form-access"
      extra={
        <Space>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/forms')}>
            {t('back')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditor({ open: true, group: null })} data-testid="access-add-group">
            {t('addGroup')}
          </Button>
        </Space>
      }
    >
      <Tabs
        items={[
          { key: 'groups', label: <span data-testid="access-tab-groups">{t('title')}</span>, children: groupsTab },
          { key: 'retention', label: <span data-testid="access-tab-retention">{t('retention')}</span>, children: <RetentionSettings formKey={key} /> },
        ]}
      />
      <GroupEditor
        open={editor.open}
        formKey={key}
        form={form.data}
        group={editor.group}
        users={users}
        departments={departments}
        roles={roleList}
        onClose={(saved) => {
          setEditor({ open: false, group: null });
          if (saved) void groups.reload();
        }}
      />
    </Card>
  );
}
