/**
 * The no-code actions for the selection, at the top of the properties panel (the same as the
 * canvas's context pad and "+" buttons, branches/branchActions.ts): 添加节点 on a flow or after
 * a node, 添加条件分支 and 添加并行分支 on a node.
 */
import { BranchesOutlined, DownOutlined, ForkOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Dropdown, Space } from 'antd';
import { useMessages } from '../../i18n/i18n.tsx';
import { canBranch } from './branches/insertBranch.ts';
import type { DiagramElement, Services } from './modeler.ts';

const messages = {
  zh: { addNode: '添加节点', approval: '审批节点', fill: '填写节点', condition: '添加条件分支', parallel: '添加并行分支', conditionHint: '在此节点后分成「条件」和「其他情况」两路，之后再汇合', parallelHint: '在此节点后分成同时进行的两路，都完成后再汇合' },
  en: { addNode: 'Add node', approval: 'Approval node', fill: 'Fill-in node', condition: 'Add condition branch', parallel: 'Add parallel branch', conditionHint: 'After this node, split into "condition" and "otherwise" paths that meet again', parallelHint: 'After this node, split into two paths done at the same time that meet again' },
};

export function NodeActions({ services, element }: { services: Services; element: DiagramElement }) {
  const t = useMessages(messages);
  const actions = services.lzBranchActions;
  const flow = element.type === 'bpmn:EndEvent' ? undefined : actions.flowFor(element);
  const condition = canBranch(services, element, 'condition');
  const parallel = canBranch(services, element, 'parallel');
  if (!flow && !condition && !parallel) return null;
  return (
    <Space wrap size={4} style={{ marginBottom: 12 }} data-testid="node-actions">
      {flow && (
        <Dropdown
          trigger={['click']}
          menu={{
            items: [
              { key: 'approval', label: <span data-testid="node-action-add-approval">{t('approval')}</span> },
              { key: 'fill', label: <span data-testid="node-action-add-fill">{t('fill')}</span> },
            ],
            onClick: ({ key }) => void actions.addNode(flow, key as 'approval' | 'fill'),
          }}
        >
          <Button size="small" icon={<PlusOutlined />} data-testid="node-action-add-node">
            {t('addNode')} <DownOutlined />
          </Button>
        </Dropdown>
      )}
      {condition && (
        <Button size="small" icon={<BranchesOutlined />} title={t('conditionHint')} onClick={() => void actions.addBranch(element, 'condition')} data-testid="node-action-condition-branch">
          {t('condition')}
        </Button>
      )}
      {parallel && (
        <Button size="small" icon={<ForkOutlined />} title={t('parallelHint')} onClick={() => void actions.addBranch(element, 'parallel')} data-testid="node-action-parallel-branch">
          {t('parallel')}
        </Button>
      )}
    </Space>
  );
}
