/** 预览: the form as users will see it, live from the designer state, with validation. */
import { useMemo, useRef, useState } from 'react';
import { App, Button, Modal, Space } from 'antd';
import { pickText, useLocale, useMessages } from '../../i18n/i18n.tsx';
import type { DesignForm } from '../model/fieldTypes.ts';
import { toJsonSchema } from '../model/toJsonSchema.ts';
import { FormRenderer, type FormRendererHandle } from '../renderer/FormRenderer.tsx';
import { designerMessages } from './messages.ts';

export function PreviewModal({ form, open, onClose }: { form: DesignForm; open: boolean; onClose(): void }) {
  const t = useMessages(designerMessages);
  const { locale } = useLocale();
  const { message } = App.useApp();
  const renderer = useRef<FormRendererHandle>(null);
  const [data, setData] = useState<Record<string, unknown>>({});
  const stored = useMemo(() => (open ? toJsonSchema(form) : null), [form, open]);
  return (
    <Modal
      open={open}
      onCancel={onClose}
      width={860}
      title={`${t('preview')} · ${pickText(form.title, locale)}`}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose} data-testid="preview-close">
            {t('close')}
          </Button>
          <Button type="primary" onClick={() => renderer.current?.submit()} data-testid="preview-validate">
            {t('validate')}
          </Button>
        </Space>
      }
    >
      <div data-testid="preview-form" style={{ maxHeight: '65vh', overflow: 'auto', paddingRight: 8 }}>
        {stored && (
          <FormRenderer ref={renderer} schema={stored.schema} uiSchema={stored.uiSchema} formData={data} onChange={setData} onSubmit={() => message.success(t('validOk'))} />
        )}
      </div>
    </Modal>
  );
}
