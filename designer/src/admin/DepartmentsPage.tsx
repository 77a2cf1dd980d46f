/**
 * 部门: the organisation as a tree by parent; the selected department's head and members,
 * with a members editor (PUT /api/departments/:id/members) and a head picker
 * (PATCH /api/departments/:id). The code is fixed at creation: routing rules name it.
 */
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Row, Select, Space, Spin, Tree, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { DepartmentDialog } from './DepartmentDialog.tsx';
import type { Department } from '../api/types.ts';
import { detailsByPointer, errorText, useDepartmentName, useOrganisation } from './shared.tsx';

const messages = {
  zh: {
    title: '部门',
    create: '新建部门',
    createChild: '新建下级部门',
    empty: '还没有部门',
    pick: '选择左侧的部门查看成员',
    code: '编码',
    name: '名称',
    nameEn: '英文名称',
    parent: '上级部门',
    head: '负责人',
    none: '无',
    members: '成员',
    saveMembers: '保存成员',
    saved: '成员已保存',
    failed: '保存失败：{reason}',
    loadFailed: '加载组织失败',
    fixedHint: '编码在创建时确定（自动分派规则按编码引用部门）。',
    headSaved: '负责人已更新',
  },
  en: {
    title: 'Departments',
    create: 'New department',
    createChild: 'New sub-department',
    empty: 'No departments yet',
    pick: 'Pick a department on the left to see its members',
    code: 'Code',
    name: 'Name',
    nameEn: 'English name',
    parent: 'Parent',
    head: 'Head',
    none: 'none',
    members: 'Members',
    saveMembers: 'Save members',
    saved: 'Members saved',
    failed: 'Could not save: {reason}',
    loadFailed: 'Could not load the organisation',
    fixedHint: 'The code is fixed at creation (routing rules refer to it).',
    headSaved: 'Head updated',
  },
};

interface TreeNode {
  key: string;
  title: string;
  children: TreeNode[];
}

/** Departments nested by parent; one whose parent is missing shows at the top. */
function buildTree(departments: Department[], label: (d: Department) => string): TreeNode[] {
  const nodes = new Map(departments.map((d) => [d.id, { key: d.id, title: `${label(d)}（${d.code}）`, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const d of departments) {
    const parent = d.parentId ? nodes.get(d.parentId) : undefined;
    (parent ? parent.children : roots).push(nodes.get(d.id)!);
  }
  return roots;
}

export function DepartmentsPage() {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const departmentName = useDepartmentName();
  const org = useOrganisation();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [members, setMembers] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [memberError, setMemberError] = useState<string | undefined>();
  const [dialog, setDialog] = useState<{ open: boolean; parentId: string | null }>({ open: false, parentId: null });

  const departments = useMemo(() => org.data?.departments ?? [], [org.data]);
  const users = useMemo(() => org.data?.users ?? [], [org.data]);
  const selected = departments.find((d) => d.id === selectedId);
  const tree = useMemo(() => buildTree(departments, departmentName), [departments, departmentName]);
  const userLabel = (id: string | null) => {
    const user = users.find((u) => u.id === id);
    return user ? `${user.displayName}（${user.username}）` : t('none');
  };

  useEffect(() => {
    setMembers(selected?.memberIds ?? []);
    setMemberError(undefined);
  }, [selected]);

  const saveMembers = async () => {
    if (!selected) return;
    setSaving(true);
    setMemberError(undefined);
    try {
      await api.put(`/departments/${selected.id}/members`, { userIds: members });
      message.success(t('saved'));
      await org.reload();
    } catch (error) {
      setMemberError(Object.values(detailsByPointer(error))[0] ?? errorText(error));
      message.error(t('failed', { reason: errorText(error) }));
    } finally {
      setSaving(false);
    }
  };

  const changeHead = async (headUserId: string | null) => {
    if (!selected) return;
    try {
      await api.patch(`/departments/${selected.id}`, { headUserId });
      message.success(t('headSaved'));
      await org.reload();
    } catch (error) {
      message.error(t('failed', { reason: errorText(error) }));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="admin-departments">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ open: true, parentId: null })} data-testid="departments-create">
          {t('create')}
        </Button>
      </Space>
      {org.error ? <Alert type="error" showIcon title={t('loadFailed')} description={errorText(org.error)} /> : null}
      <Row gutter={16}>
        <Col xs={24} md={9}>
          <Card>
            <Spin spinning={org.loading}>
              {tree.length === 0 && !org.loading ? (
                <Empty description={t('empty')} />
              ) : (
                <Tree
                  // Remounts when departments are added, so new branches show expanded too.
                  key={departments.length}
                  treeData={tree}
                  defaultExpandAll
                  selectedKeys={selectedId ? [selectedId] : []}
                  onSelect={(keys) => setSelectedId((keys[0] as string | undefined) ?? null)}
                  titleRender={(node) => <span data-testid={`department-node-${departments.find((d) => d.id === node.key)?.code}`}>{node.title}</span>}
                  data-testid="departments-tree"
                />
              )}
            </Spin>
          </Card>
        </Col>
        <Col xs={24} md={15}>
          <Card
            title={selected ? departmentName(selected) : t('members')}
            extra={
              selected ? (
                <Button size="small" onClick={() => setDialog({ open: true, parentId: selected.id })} data-testid="departments-create-child">
                  {t('createChild')}
                </Button>
              ) : null
            }
          >
            {!selected ? (
              <Empty description={t('pick')} />
            ) : (
              <Space orientation="vertical" style={{ width: '100%' }} size="middle">
                <Descriptions size="small" column={1} bordered>
                  <Descriptions.Item label={t('code')}>{selected.code}</Descriptions.Item>
                  <Descriptions.Item label={t('name')}>{selected.name}</Descriptions.Item>
                  <Descriptions.Item label={t('nameEn')}>{selected.nameEn ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('parent')}>{departmentName(departments.find((d) => d.id === selected.parentId))}</Descriptions.Item>
                  <Descriptions.Item label={t('head')}>
                    <Select
                      allowClear
                      showSearch
                      optionFilterProp="label"
                      style={{ minWidth: 220 }}
                      placeholder={t('none')}
                      value={selected.headUserId ?? undefined}
                      onChange={(value: string | undefined) => void changeHead(value ?? null)}
                      data-testid="department-head"
                      options={users.filter((u) => u.active || u.id === selected.headUserId).map((u) => ({ value: u.id, label: userLabel(u.id) }))}
                    />
                  </Descriptions.Item>
                </Descriptions>
                <Typography.Text type="secondary">{t('fixedHint')}</Typography.Text>
                <Typography.Text strong>{t('members')}</Typography.Text>
                <Select
                  mode="multiple"
                  style={{ width: '100%' }}
                  value={members}
                  onChange={setMembers}
                  optionFilterProp="label"
                  status={memberError ? 'error' : undefined}
                  data-testid="department-members"
                  options={users.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）`, disabled: !u.active && !members.includes(u.id) }))}
                />
                {memberError ? <Typography.Text type="danger">{memberError}</Typography.Text> : null}
                <Button type="primary" loading={saving} onClick={() => void saveMembers()} data-testid="department-members-save">
                  {t('saveMembers')}
                </Button>
              </Space>
            )}
          </Card>
        </Col>
      </Row>
      <DepartmentDialog
        open={dialog.open}
        parentId={dialog.parentId}
        users={users}
        departments={departments}
        onClose={(created) => {
          setDialog({ open: false, parentId: null });
          if (created) {
            setSelectedId(created.id);
            void org.reload();
          }
        }}
      />
    </Space>
  );
}
