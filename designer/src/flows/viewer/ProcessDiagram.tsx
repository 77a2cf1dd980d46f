/**
 * A read-only process diagram for task and instance pages: finished nodes green, the ones
 * waiting now blue (pulsing), the rest grey. The states are diagram-js markers, i.e. CSS
 * classes `lz-completed` / `lz-active` / `lz-pending` on the element's `<g>`
 * (`[data-element-id="approve"].lz-active`), so a browser test can check them.
 */
import { Alert, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useMessages } from '../../i18n/i18n.tsx';

export interface ProcessDiagramProps {
  /** BPMN 2.0 XML with BPMNDI (e.g. from `GET /api/instances/:id/diagram`). */
  xml: string;
  activeElementIds?: string[];
  completedElementIds?: string[];
  /** Canvas height in px (default 360). */
  height?: number;
  /** Called with the bpmn-js viewer once the diagram is drawn (and with null when it goes), e.g. for the heat map's overlays. */
  onReady?: (viewer: Viewer | null) => void;
}

const messages = {
  zh: { completed: '已完成', active: '进行中', pending: '未开始', failed: '流程图无法显示：{error}' },
  en: { completed: 'Done', active: 'In progress', pending: 'Not reached', failed: 'The diagram cannot be shown: {error}' },
};

interface Canvas {
  addMarker(element: string, marker: string): void;
  removeMarker(element: string, marker: string): void;
  zoom(scale: 'fit-viewport', center?: 'auto'): number;
}
interface Registry {
  getAll(): { id: string; type: string; labelTarget?: unknown }[];
}
export interface Viewer {
  importXML(xml: string): Promise<unknown>;
  get<T>(name: string): T;
  destroy(): void;
}

const MARKERS = ['lz-completed', 'lz-active', 'lz-pending'];

export function ProcessDiagram({ xml, activeElementIds = [], completedElementIds = [], height = 360, onReady }: ProcessDiagramProps) {
  const t = useMessages(messages);
  const container = useRef<HTMLDivElement>(null);
  const viewer = useRef<Viewer | null>(null);
  const [loaded, setLoaded] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const ready = useRef(onReady);
  ready.current = onReady;

  useEffect(() => {
    let cancelled = false;
    setError(null);
    void (async () => {
      const { NavigatedViewer } = await import('../bpmnRuntime.ts');
      if (cancelled || !container.current) return;
      const instance = new NavigatedViewer({ container: container.current }) as unknown as Viewer;
      viewer.current = instance;
      try {
        await instance.importXML(xml);
        if (cancelled) return;
        instance.get<Canvas>('canvas').zoom('fit-viewport', 'auto');
        setLoaded((n) => n + 1);
        ready.current?.(instance);
      } catch (err) {
        if (!cancelled) setError((err as Error).message);
      }
    })();
    return () => {
      cancelled = true;
      ready.current?.(null);
      viewer.current?.destroy();
      viewer.current = null;
    };
  }, [xml]);

  // Markers follow the state without re-importing the XML.
  const activeKey = activeElementIds.join(',');
  const completedKey = completedElementIds.join(',');
  useEffect(() => {
    const instance = viewer.current;
    if (!instance || loaded === 0) return;
    const canvas = instance.get<Canvas>('canvas');
    const active = new Set(activeElementIds);
    const completed = new Set(completedElementIds);
    for (const element of instance.get<Registry>('elementRegistry').getAll()) {
      if (element.labelTarget || element.type === 'label' || /Process|Collaboration|Participant|Lane/.test(element.type)) continue;
      for (const marker of MARKERS) canvas.removeMarker(element.id, marker);
      const marker = active.has(element.id) ? 'lz-active' : completed.has(element.id) ? 'lz-completed' : 'lz-pending';
      canvas.addMarker(element.id, marker);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, activeKey, completedKey]);

  return (
    <div className="lz-diagram" data-testid="process-diagram" data-loaded={loaded > 0 ? 'true' : 'false'}>
      {error && <Alert type="error" title={t('failed', { error })} showIcon />}
      <div style={{ position: 'relative', height }}>
        <div ref={container} className="lz-diagram-canvas" />
        {loaded === 0 && !error && (
          <div style={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
            <Spin />
          </div>
        )}
      </div>
      <div className="lz-diagram-legend" data-testid="process-diagram-legend">
        <span><span className="swatch completed" />{t('completed')}</span>
        <span><span className="swatch active" />{t('active')}</span>
        <span><span className="swatch pending" />{t('pending')}</span>
      </div>
    </div>
  );
}
