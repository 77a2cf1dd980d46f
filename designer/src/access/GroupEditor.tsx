/**
 * One permission group in a drawer: name, members (users, departments, roles, and the per-record
 * 记录负责人 / 创建人 / 负责人所在部门主管 / 所有成员), actions, per-field 可见 / 可编辑 with 全选, and the
 * record filter in the condition builder's rows. Saves the whole group (POST new, PUT existing);
 * a 422's details show beside the section their pointer names.
 */
import { Alert, App, Button, Checkbox, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/client.ts';
import type { Department, FormVersion, User } from '../api/types.ts';
import type { ConditionGroup } from '../conditions/conditionBuilder.ts';
import { recordFields } from '../forms/records/fields.ts';
import { useLocale, useMessages } from '../i18n/i18n.tsx';
import { accessApi, emptyMembers, RECORD_ACTIONS, type GroupMembers, type PermissionGroup, type RecordAction, type Role } from './api.ts';
import { filterFields } from './filterFields.ts';
import { fromApiFilter, toApiFilter } from './filterModel.ts';
import { FilterRows, filterComplete } from './FilterRows.tsx';
import { accessMessages } from './messages.ts';
import { personalKindOf } from '../privacy/personalKinds.ts';
import { PersonalTag } from '../privacy/PersonalTag.tsx';

const DYNAMIC = ['everyone', 'owner', 'creator', 'ownerDepartmentHead'] as const;

interface Draft {
  name: string;
  nameEn: string;
  members: GroupMembers;
  actions: RecordAction[];
  /** null = every field ('*'). */
  visible: string[] | null;
  editable: string[] | null;
  filter: ConditionGroup;
}

function draftOf(group: PermissionGroup | null): Draft {
  if (!group) return { name: '', nameEn: '', members: emptyMembers(), actions: ['view'], visible: null, editable: null, filter: { join: 'and', rules: [] } };
  return {
    name: group.name,
    nameEn: group.nameEn ?? '',
    members: { ...emptyMembers(), ...group.members },
    actions: [...group.actions],
    visible: group.fields.visible === '*' ? null : [...group.fields.visible],
    editable: group.fields.editable === '*' ? null : [...group.fields.editable],
    filter: fromApiFilter(group.filter),
  };
}

export function GroupEditor(props: {
  open: boolean;
  formKey: string;
  form: FormVersion;
  group: PermissionGroup | null;
  users: User[];
  departments: Department[];
  roles: Role[];
  onClose(saved: boolean): void;
}) {
  const t = useMessages(accessMessages);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [draft, setDraft] = useState<Draft>(() => draftOf(props.group));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!props.open) return;
    setDraft(draftOf(props.group));
    setErrors({});
  }, [props.open, props.group]);

  const formFields = useMemo(() => recordFields(props.form, locale), [props.form, locale]);
  const names = formFields.map((field) => field.name);
  const conditionFields = useMemo(
    () =>
      filterFields(
        props.form,
        locale,
        { me: t('me'), myDepartments: t('myDepartments'), creator: t('creatorField'), ownerDepartment: t('ownerDepartment') },
        props.users.map((user) => ({ value: user.username, label: `${user.displayName}（${user.username}）` })),
        props.departments.map((d) => ({ value: d.id, label: (locale === 'en' && d.nameEn) || d.name })),
      ),
    [props.form, props.users, props.departments, locale, t],
  );

  const set = (patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    // A section's server message goes once it is edited.
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([pointer]) => !Object.keys(patch).some((key) => pointer.startsWith(`/${key === 'visible' || key === 'editable' ? 'fields' : key}`)))));
  };
  const setMembers = (patch: Partial<GroupMembers>) => set({ members: { ...draft.members, ...patch } });
  const isVisible = (name: string) => draft.visible === null || draft.visible.includes(name);
  const isEditable = (name: string) => draft.editable === null || draft.editable.includes(name);
  /** A full list is stored as '*', so fields added to the form later follow. */
  const normalise = (list: string[]) => (names.every((name) => list.includes(name)) ? null : names.filter((name) => list.includes(name)));
  const toggleVisible = (name: string, on: boolean) => {
    const visible = names.filter((n) => (n === name ? on : isVisible(n)));
    // A hidden field cannot be edited.
    const editable = on ? names.filter(isEditable) : names.filter((n) => n !== name && isEditable(n));
    set({ visible: normalise(visible), editable: normalise(editable) });
  };
  const toggleEditable = (name: string, on: boolean) => {
    const editable = names.filter((n) => (n === name ? on : isEditable(n)));
    const visible = on ? names.filter((n) => n === name || isVisible(n)) : names.filter(isVisible);
    set({ visible: normalise(visible), editable: normalise(editable) });
  };

  const hasMembers = draft.members.users.length + draft.members.departments.length + draft.members.roles.length > 0 || DYNAMIC.some((key) => draft.members[key]);
  const save = async () => {
    const local: Record<string, string> = {};
    if (!draft.name.trim()) local['/name'] = t('required');
    if (!hasMembers) local['/members'] = t('noMembers');
    if (!draft.actions.length) local['/actions'] = t('noActions');
    if (!filterComplete(draft.filter, conditionFields)) local['/filter'] = t('incomplete');
    if (Object.keys(local).length) {
      setErrors(local);
      return;
    }
    const body = {
      name: draft.name.trim(),
      nameEn: draft.nameEn.trim() || null,
      members: draft.members,
      actions: RECORD_ACTIONS.filter((action) => draft.actions.includes(action)),
      fields: { visible: draft.visible ?? ('*' as const), editable: draft.editable ?? ('*' as const) },
      filter: toApiFilter(draft.filter, conditionFields),
    };
    setSaving(true);
    try {
      if (props.group) await accessApi.updateGroup(props.formKey, props.group.id, body);
      else await accessApi.createGroup(props.formKey, body);
      message.success(t('saved'));
      props.onClose(true);
    } catch (error) {
      const byPointer: Record<string, string> = {};
      if (error instanceof ApiError) for (const detail of error.details) byPointer[detail.pointer || '/'] ??= detail.message;
      setErrors(Object.keys(byPointer).length ? byPointer : { '/': error instanceof Error ? error.message : String(error) });
      message.error(t('failed', { error: error instanceof Error ? error.message : String(error) }));
    } finally {
      setSaving(false);
    }
  };

  /** The first server message whose pointer starts with one of `prefixes`. */
  const errorAt = (...prefixes: string[]) => Object.entries(errors).find(([pointer]) => prefixes.some((prefix) => pointer === prefix || pointer.startsWith(`${prefix}/`)))?.[1];
  const status = (testId: string, ...prefixes: string[]) => {
    const text = errorAt(...prefixes);
    return text ? { validateStatus: 'error' as const, help: <span data-testid={testId}>{text}</span> } : {};
  };
  const ruleErrors: Record<number, string> = {};
  for (const [pointer, text] of Object.entries(errors)) {
    const match = /^\/filter\/rules\/(\d+)/.exec(pointer);
    if (match) ruleErrors[Number(match[1])] ??= text;
  }
  const known = ['/name', '/nameEn', '/members', '/actions', '/fields', '/filter'];
  const general = Object.entries(errors).filter(([pointer]) => !known.some((prefix) => pointer === prefix || pointer.startsWith(`${prefix}/`)));

  const allVisible = names.every(isVisible);
  const allEditable = names.every(isEditable);
  return (
    <Drawer
      open={props.open}
      size={760}
      title={props.group ? t('editGroup') : t('newGroup')}
      onClose={() => props.onClose(false)}
      destroyOnHidden
      data-testid="group-editor"
      extra={
        <Space>
          <Button onClick={() => props.onClose(false)}>{t('cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="group-save">
            {t('save')}
          </Button>
        </Space>
      }
    >
      {general.length ? (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} data-testid="group-error" title={general.map(([pointer, text]) => `${pointer === '/' ? '' : `${pointer} `}${text}`).join('；')} />
      ) : null}
      <Form layout="vertical" component="div">
        <Space style={{ width: '100%' }} align="start">
          <Form.Item label={t('name')} required {...status('group-error-name', '/name')} style={{ width: 300 }}>
            <Input value={draft.name} maxLength={100} onChange={(e) => set({ name: e.target.value })} data-testid="group-name" />
          </Form.Item>
          <Form.Item label={t('nameEn')} {...status('group-error-nameEn', '/nameEn')} style={{ width: 300 }}>
            <Input value={draft.nameEn} maxLength={100} onChange={(e) => set({ nameEn: e.target.value })} data-testid="group-name-en" />
          </Form.Item>
        </Space>
        <Form.Item label={t('members')} required {...status('group-error-members', '/members')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Select
              mode="multiple"
              prefix={t('users')}
              placeholder={t('users')}
              value={draft.members.users}
              onChange={(users: string[]) => setMembers({ users })}
              showSearch={{ optionFilterProp: 'label' }}
              options={props.users.map((user) => ({ value: user.id, label: `${user.displayName}（${user.username}）` }))}
              data-testid="group-users"
            />
            <Select
              mode="multiple"
              prefix={t('departments')}
              placeholder={t('departments')}
              value={draft.members.departments}
              onChange={(departments: string[]) => setMembers({ departments })}
              showSearch={{ optionFilterProp: 'label' }}
              options={props.departments.map((d) => ({ value: d.id, label: (locale === 'en' && d.nameEn) || d.name }))}
              data-testid="group-departments"
            />
            <Select
              mode="multiple"
              prefix={t('roles')}
              placeholder={t('roles')}
              value={draft.members.roles}
              onChange={(roles: string[]) => setMembers({ roles })}
              showSearch={{ optionFilterProp: 'label' }}
              options={props.roles.map((role) => ({ value: role.code, label: (locale === 'en' && role.nameEn) || role.name }))}
              data-testid="group-roles"
            />
            <Space wrap>
              <Typography.Text type="secondary">{t('dynamicMembers')}：</Typography.Text>
              {DYNAMIC.map((key) => (
                <Checkbox key={key} checked={draft.members[key]} onChange={(e) => setMembers({ [key]: e.target.checked })} data-testid={`group-${key}`}>
                  {t(key)}
                </Checkbox>
              ))}
            </Space>
          </Space>
        </Form.Item>
        <Form.Item label={t('actions')} required {...status('group-error-actions', '/actions')}>
          <Checkbox.Group value={draft.actions} onChange={(actions) => set({ actions: actions as RecordAction[] })}>
            {RECORD_ACTIONS.map((action) => (
              <Checkbox key={action} value={action} data-testid={`group-action-${action}`}>
                {t(action)}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
        <Form.Item label={t('fields')} {...status('group-error-fields', '/fields')}>
          <Table
            size="small"
            rowKey="name"
            pagination={false}
            dataSource={formFields}
            data-testid="group-fields"
            columns={[
              {
                title: t('field'),
                render: (_, field) => (
                  <Space size={4}>
                    {field.title}
                    <PersonalTag kind={personalKindOf(field.schema)} />
                  </Space>
                ),
              },
              {
                title: (
                  <Checkbox checked={allVisible} indeterminate={!allVisible && names.some(isVisible)} onChange={(e) => set({ visible: e.target.checked ? null : [], editable: e.target.checked ? draft.editable : [] })} data-testid="group-visible-all">
                    {t('visible')}
                  </Checkbox>
                ),
                width: 120,
                render: (_, field) => <Checkbox checked={isVisible(field.name)} onChange={(e) => toggleVisible(field.name, e.target.checked)} data-testid={`group-visible-${field.name}`} />,
              },
              {
                title: (
                  <Checkbox checked={allEditable} indeterminate={!allEditable && names.some(isEditable)} onChange={(e) => set(e.target.checked ? { editable: null, visible: null } : { editable: [] })} data-testid="group-editable-all">
                    {t('editable')}
                  </Checkbox>
                ),
                width: 120,
                render: (_, field) => <Checkbox checked={isEditable(field.name)} onChange={(e) => toggleEditable(field.name, e.target.checked)} data-testid={`group-editable-${field.name}`} />,
              },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('filter')} extra={t('filterHelp')} {...status('group-error-filter', '/filter')}>
          <FilterRows value={draft.filter} onChange={(filter) => set({ filter })} fields={conditionFields} testId="group-filter" errors={ruleErrors} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/** A short summary of a group's members, for the list. */
export function MembersSummary({ group, users, departments, roles }: { group: PermissionGroup; users: User[]; departments: Department[]; roles: Role[] }) {
  const t = useMessages(accessMessages);
  const { locale } = useLocale();
  const m = group.members;
  return (
    <Space size={[4, 4]} wrap>
      {m.users.map((id) => <Tag key={`u${id}`}>{users.find((u) => u.id === id)?.displayName ?? id}</Tag>)}
      {m.departments.map((id) => {
        const d = departments.find((x) => x.id === id);
        return <Tag key={`d${id}`} color="blue">{d ? (locale === 'en' && d.nameEn) || d.name : id}</Tag>;
      })}
      {m.roles.map((code) => {
        const r = roles.find((x) => x.code === code);
        return <Tag key={`r${code}`} color="purple">{r ? (locale === 'en' && r.nameEn) || r.name : code}</Tag>;
      })}
      {DYNAMIC.filter((key) => m[key]).map((key) => <Tag key={key} color="gold">{t(key)}</Tag>)}
    </Space>
  );
}
