/** New department (POST /api/departments): code, names, parent and head; 422/409 beside the fields. */
import { App, Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../api/client.ts';
import { useMessages } from '../i18n/i18n.tsx';
import type { Department, User } from '../api/types.ts';
import { detailsByPointer, errorText, fieldError, useDepartmentName, withoutChanged } from './shared.tsx';

const messages = {
  zh: {
    title: '新建部门',
    code: '编码',
    codeHelp: '小写字母开头，可含数字、_、-；流程中用作候选组，创建后不能修改',
    name: '名称',
    nameEn: '英文名称',
    parent: '上级部门',
    head: '负责人',
    required: '必填',
    created: '已创建部门 {name}',
    failed: '创建失败：{reason}',
    taken: '编码已存在',
    ok: '创建',
    cancel: '取消',
  },
  en: {
    title: 'New department',
    code: 'Code',
    codeHelp: 'Starts with a lower-case letter; digits, _ and - allowed; used as candidate group; cannot change later',
    name: 'Name',
    nameEn: 'English name',
    parent: 'Parent department',
    head: 'Head',
    required: 'Required',
    created: 'Created department {name}',
    failed: 'Could not create: {reason}',
    taken: 'This code is taken',
    ok: 'Create',
    cancel: 'Cancel',
  },
};

interface Values {
  code: string;
  name: string;
  nameEn?: string;
  parentId?: string;
  headUserId?: string;
}

export function DepartmentDialog(props: {
  open: boolean;
  parentId: string | null;
  users: User[];
  departments: Department[];
  onClose(created: Department | null): void;
}) {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const departmentName = useDepartmentName();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!props.open) return;
    setErrors({});
    form.resetFields();
    form.setFieldsValue({ parentId: props.parentId ?? undefined });
  }, [props.open, props.parentId, form]);

  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    setErrors({});
    try {
      const created = await api.post<Department>('/departments', {
        code: values.code,
        name: values.name,
        nameEn: values.nameEn || null,
        parentId: values.parentId ?? null,
        headUserId: values.headUserId ?? null,
      });
      message.success(t('created', { name: created.name }));
      props.onClose(created);
    } catch (error) {
      setErrors(error instanceof ApiError && error.code === 'department_exists' ? { '/code': t('taken') } : detailsByPointer(error));
      message.error(t('failed', { reason: errorText(error) }));
    } finally {
      setSaving(false);
    }
  };

  const field = (name: keyof Values) =>
    fieldError(errors[`/${name}`], `department-error-${name}`);

  return (
    <Modal
      open={props.open}
      title={t('title')}
      okText={t('ok')}
      cancelText={t('cancel')}
      confirmLoading={saving}
      onOk={() => void submit()}
      onCancel={() => props.onClose(null)}
      okButtonProps={{ 'data-testid': 'department-dialog-save' }}
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        onValuesChange={(changed) => setErrors((current) => withoutChanged(current, changed))}
      >
        <Form.Item name="code" label={t('code')} extra={t('codeHelp')} rules={[{ required: true, message: t('required') }]} {...field('code')}>
          <Input data-testid="department-code" autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label={t('name')} rules={[{ required: true, message: t('required') }]} {...field('name')}>
          <Input data-testid="department-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('nameEn')} {...field('nameEn')}>
          <Input data-testid="department-nameEn" />
        </Form.Item>
        <Form.Item name="parentId" label={t('parent')} {...field('parentId')}>
          <Select
            allowClear
            data-testid="department-parent"
            options={props.departments.map((d) => ({ value: d.id, label: departmentName(d) }))}
          />
        </Form.Item>
        <Form.Item name="headUserId" label={t('head')} {...field('headUserId')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            data-testid="department-head"
            options={props.users.filter((u) => u.active).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
