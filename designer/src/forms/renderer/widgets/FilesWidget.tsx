/**
 * Attachments and images: there is no upload API, so each file is read in the browser and
 * stored inline in the record as `{name, type, size, dataUrl}`. The per-file cap comes from
 * the schema (`items.properties.size.maximum`, which the server enforces together with the
 * data URL's maxLength); the request body limit (2 MB) bounds the total.
 */
import { useRef, useState } from 'react';
import { Button, Image, List, Typography } from 'antd';
import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { WidgetProps } from '@rjsf/utils';

export interface StoredFile {
  name: string;
  type: string;
  size: number;
  dataUrl: string;
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function FilesWidget(props: WidgetProps) {
  const en = props.registry.formContext?.locale === 'en';
  const image = props.schema['x-widget'] === 'image';
  const items = props.schema.items as Record<string, any> | undefined;
  const maxSize = Number(items?.properties?.size?.maximum ?? 512 * 1024);
  const maxFiles = typeof props.schema.maxItems === 'number' ? props.schema.maxItems : undefined;
  const files: StoredFile[] = Array.isArray(props.value) ? props.value : [];
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const locked = props.disabled || props.readonly;

  async function add(list: FileList | null) {
    setProblem(null);
    const next = [...files];
    for (const file of Array.from(list ?? [])) {
      if (file.size > maxSize) {
        setProblem(en ? `${file.name} is larger than ${formatSize(maxSize)}` : `${file.name} 超过 ${formatSize(maxSize)} 上限`);
        continue;
      }
      if (maxFiles !== undefined && next.length >= maxFiles) {
        setProblem(en ? `At most ${maxFiles} files` : `最多 ${maxFiles} 个文件`);
        break;
      }
      next.push({ name: file.name, type: file.type || 'application/octet-stream', size: file.size, dataUrl: await readAsDataUrl(file) });
    }
    if (input.current) input.current.value = '';
    props.onChange(next.length ? next : undefined);
  }

  const remove = (index: number) => {
    const next = files.filter((_, i) => i !== index);
    props.onChange(next.length ? next : undefined);
  };

  return (
    <div data-testid={`files-${props.id}`}>
      {!locked && (
        <>
          <input ref={input} type="file" multiple hidden accept={image ? 'image/*' : undefined} onChange={(e) => void add(e.target.files)} data-testid={`files-input-${props.id}`} />
          <Button icon={<UploadOutlined />} onClick={() => input.current?.click()}>
            {image ? (en ? 'Add images' : '添加图片') : en ? 'Add files' : '添加附件'}
          </Button>
          <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
            {en ? `Up to ${formatSize(maxSize)} each, stored in the record` : `单个不超过 ${formatSize(maxSize)}，随记录保存`}
          </Typography.Text>
        </>
      )}
      {problem && <Typography.Paragraph type="danger">{problem}</Typography.Paragraph>}
      {image ? (
        <Image.PreviewGroup>
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 8 }}>
            {files.map((file, index) => (
              <div key={index} style={{ position: 'relative' }}>
                <Image src={file.dataUrl} alt={file.name} width={88} height={88} style={{ objectFit: 'cover' }} />
                {!locked && <Button size="small" danger icon={<DeleteOutlined />} onClick={() => remove(index)} style={{ position: 'absolute', top: 2, right: 2 }} />}
              </div>
            ))}
          </div>
        </Image.PreviewGroup>
      ) : (
        files.length > 0 && (
          <List
            size="small"
            dataSource={files}
            renderItem={(file, index) => (
              <List.Item actions={locked ? [] : [<Button key="x" size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => remove(index)} />]}>
                <a href={file.dataUrl} download={file.name}>
                  <PaperClipOutlined /> {file.name}
                </a>
                <Typography.Text type="secondary">{formatSize(file.size)}</Typography.Text>
              </List.Item>
            )}
          />
        )
      )}
    </div>
  );
}
