/** Handwritten signature: draw on a canvas with mouse, pen or finger; stored as a PNG data URL. */
import { useEffect, useRef, useState } from 'react';
import { Button, Space } from 'antd';
import type { WidgetProps } from '@rjsf/utils';

const WIDTH = 480;
const HEIGHT = 160;

export function SignatureWidget(props: WidgetProps) {
  const en = props.registry.formContext?.locale === 'en';
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [dirty, setDirty] = useState(false);
  const locked = props.disabled || props.readonly;
  const value = typeof props.value === 'string' ? props.value : '';

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.lineWidth = 2.5;
    ctx.lineCap = 'round';
    ctx.strokeStyle = '#1f1f1f';
  }, [value]);

  if (value && !dirty) {
    return (
      <div data-testid={`signature-${props.id}`}>
        <img src={value} alt="signature" style={{ border: '1px solid #d9d9d9', borderRadius: 6, maxWidth: WIDTH, background: '#fff' }} />
        {!locked && (
          <div>
            <Button size="small" onClick={() => props.onChange(undefined)}>
              {en ? 'Sign again' : '重新签名'}
            </Button>
          </div>
        )}
      </div>
    );
  }
  if (locked) return <span>{en ? 'Not signed' : '未签名'}</span>;

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return [((e.clientX - rect.left) * WIDTH) / rect.width, ((e.clientY - rect.top) * HEIGHT) / rect.height] as const;
  };
  const clear = () => {
    canvas.current?.getContext('2d')?.clearRect(0, 0, WIDTH, HEIGHT);
    setDirty(false);
  };
  return (
    <div data-testid={`signature-${props.id}`}>
      <canvas
        ref={canvas}
        width={WIDTH}
        height={HEIGHT}
        style={{ display: 'block', border: '1px dashed #bfbfbf', borderRadius: 6, touchAction: 'none', width: '100%', maxWidth: WIDTH, background: '#fff' }}
        onPointerDown={(e) => {
          const ctx = canvas.current?.getContext('2d');
          if (!ctx) return;
          drawing.current = true;
          e.currentTarget.setPointerCapture(e.pointerId);
          ctx.beginPath();
          ctx.moveTo(...point(e));
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          const ctx = canvas.current?.getContext('2d');
          ctx?.lineTo(...point(e));
          ctx?.stroke();
          setDirty(true);
        }}
        onPointerUp={() => {
          drawing.current = false;
        }}
      />
      <Space style={{ display: 'flex', marginTop: 4 }}>
        <Button size="small" onClick={clear}>
          {en ? 'Clear' : '清除'}
        </Button>
        <Button size="small" type="primary" disabled={!dirty} data-testid={`signature-save-${props.id}`} onClick={() => {
          const url = canvas.current?.toDataURL('image/png');
          setDirty(false);
          props.onChange(url);
        }}>
          {en ? 'Use this signature' : '确认签名'}
        </Button>
      </Space>
    </div>
  );
}
