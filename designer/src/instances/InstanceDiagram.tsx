/**
 * The instance's progress on its diagram. Reads `GET /api/instances/:id/diagram`; a server
 * without that route (404) is answered from the definition's XML, the instance's active
 * nodes and its history, so the view works on older servers too.
 */
import { Empty, Spin } from 'antd';
import { api, ApiError } from '../api/client.ts';
import { ProcessDiagram } from '../flows/viewer/ProcessDiagram.tsx';
import { useMessages } from '../i18n/i18n.tsx';
import { useLoad } from '../api/useLoad.ts';
import { useUser } from '../auth/session.tsx';
import { HeatmapDiagram } from '../dashboards/heatmap/HeatmapDiagram.tsx';
import type { HistoryEntry } from '../api/types.ts';
import type { DiagramView, InstanceView } from './types.ts';

const messages = {
  zh: { none: '流程图无法加载' },
  en: { none: 'The diagram could not be loaded' },
};

async function loadDiagram(instanceId: string): Promise<DiagramView> {
  try {
    return await api.get<DiagramView>(`/instances/${instanceId}/diagram`);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404 || err.code === 'not_found_instance') throw err;
  }
  const instance = await api.get<InstanceView>(`/instances/${instanceId}`);
  const [xml, history] = await Promise.all([
    api.get<string>(`/definitions/${instance.definitionId}/xml`),
    api.get<HistoryEntry[]>(`/instances/${instanceId}/history`),
  ]);
  const completed = new Set(history.filter((entry) => entry.endedAt && !entry.cancelled).map((entry) => entry.elementId));
  return { definitionId: instance.definitionId, xml, activeElementIds: instance.activeElementIds, completedElementIds: [...completed] };
}

export function InstanceDiagram({ instanceId, refreshKey = 0, height, definitionKey }: { instanceId: string; refreshKey?: number; height?: number; definitionKey?: string }) {
  const t = useMessages(messages);
  const user = useUser();
  const diagram = useLoad(() => loadDiagram(instanceId), [instanceId, refreshKey]);
  // A definition without stored XML has no diagram to draw.
  if (!diagram.data?.xml) {
    return diagram.loading ? <Spin /> : <Empty description={t('none')} />;
  }
  // Admins can lay the whole definition's heat map (热力图) over the instance's progress.
  if (definitionKey && user.role === 'admin') {
    return (
      <div data-testid="instance-diagram">
        <HeatmapDiagram
          definitionKey={definitionKey}
          xml={diagram.data.xml}
          activeElementIds={diagram.data.activeElementIds}
          completedElementIds={diagram.data.completedElementIds}
          height={height}
        />
      </div>
    );
  }
  return (
    <div data-testid="instance-diagram">
      <ProcessDiagram
        xml={diagram.data.xml}
        activeElementIds={diagram.data.activeElementIds}
        completedElementIds={diagram.data.completedElementIds}
        height={height}
      />
    </div>
  );
}
