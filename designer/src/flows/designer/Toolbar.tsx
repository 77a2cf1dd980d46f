/** The designer's toolbar: draft, deploy, download/import BPMN, undo/redo, 添加审批节点. */
import { CloudUploadOutlined, DownloadOutlined, PlusOutlined, RedoOutlined, SaveOutlined, UndoOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Space, Tooltip } from 'antd';
import { useRef } from 'react';
import { useMessages } from '../../i18n/i18n.tsx';

const messages = {
  zh: {
    saveDraft: '保存草稿',
    draftHint: '草稿只保存在本浏览器中（服务器不保存草稿）',
    deploy: '发布',
    download: '下载 BPMN',
    import: '导入',
    undo: '撤销',
    redo: '重做',
    addApproval: '添加审批节点',
    addApprovalHint: '在选中节点之后插入一个审批节点（未选中时插入到结束之前）',
  },
  en: {
    saveDraft: 'Save draft',
    draftHint: 'Drafts are kept in this browser only (the server does not store drafts)',
    deploy: 'Deploy',
    download: 'Download BPMN',
    import: 'Import',
    undo: 'Undo',
    redo: 'Redo',
    addApproval: 'Add approval node',
    addApprovalHint: 'Inserts an approval node after the selected node (before the end when nothing is selected)',
  },
};

export interface ToolbarProps {
  ready: boolean;
  deploying: boolean;
  canUndo: boolean;
  canRedo: boolean;
  onSaveDraft(): void;
  onDeploy(): void;
  onDownload(): void;
  onImport(text: string, fileName: string): void;
  onUndo(): void;
  onRedo(): void;
  onAddApproval(): void;
}

export function Toolbar(props: ToolbarProps) {
  const t = useMessages(messages);
  const file = useRef<HTMLInputElement>(null);
  const disabled = !props.ready;
  return (
    <Space wrap data-testid="flow-toolbar">
      <Tooltip title={t('addApprovalHint')}>
        <Button icon={<PlusOutlined />} onClick={props.onAddApproval} disabled={disabled} data-testid="flow-add-approval">
          {t('addApproval')}
        </Button>
      </Tooltip>
      <Space.Compact>
        <Tooltip title={t('undo')}>
          <Button icon={<UndoOutlined />} onClick={props.onUndo} disabled={disabled || !props.canUndo} data-testid="flow-undo" aria-label={t('undo')} />
        </Tooltip>
        <Tooltip title={t('redo')}>
          <Button icon={<RedoOutlined />} onClick={props.onRedo} disabled={disabled || !props.canRedo} data-testid="flow-redo" aria-label={t('redo')} />
        </Tooltip>
      </Space.Compact>
      <Button icon={<UploadOutlined />} onClick={() => file.current?.click()} disabled={disabled} data-testid="flow-import">
        {t('import')}
      </Button>
      <input
        ref={file}
        type="file"
        accept=".bpmn,.xml,application/xml,text/xml"
        style={{ display: 'none' }}
        data-testid="flow-import-input"
        onChange={(event) => {
          const chosen = event.target.files?.[0];
          event.target.value = '';
          if (chosen) void chosen.text().then((text) => props.onImport(text, chosen.name));
        }}
      />
      <Button icon={<DownloadOutlined />} onClick={props.onDownload} disabled={disabled} data-testid="flow-download">
        {t('download')}
      </Button>
      <Tooltip title={t('draftHint')}>
        <Button icon={<SaveOutlined />} onClick={props.onSaveDraft} disabled={disabled} data-testid="flow-save-draft">
          {t('saveDraft')}
        </Button>
      </Tooltip>
      <Button type="primary" icon={<CloudUploadOutlined />} onClick={props.onDeploy} loading={props.deploying} disabled={disabled} data-testid="flow-deploy">
        {t('deploy')}
      </Button>
    </Space>
  );
}
