/**
 * The dashboard endpoints (issue 15): chart queries and the records behind them, dashboards
 * CRUD, and the process heat map. Plain `api` calls typed with the contract's shapes in
 * model.ts.
 */
import { api, query } from '../api/client.ts';
import type { ChartQuery, ChartResult, ChartSource, Dashboard, DetailPage, HeatmapNode, QueryFilter } from './model.ts';

export type { HeatmapNode };

export interface DashboardSummary {
  id: string;
  key?: string | null;
  title: Dashboard['title'];
  widgetCount?: number;
  updatedAt?: string;
}

export interface HeatmapInstance {
  id: string;
  definitionKey: string;
  businessKey: string | null;
  status: string;
  startedBy: string | null;
  startedAt: string;
  endedAt: string | null;
  /** A token waits in this node now. */
  waitingHere: boolean;
}

const enc = encodeURIComponent;

export const dashboardsApi = {
  list: () => api.get<DashboardSummary[] | { items: DashboardSummary[] }>('/dashboards').then((answer) => (Array.isArray(answer) ? answer : answer.items)),
  get: (id: string) => api.get<Dashboard>(`/dashboards/${enc(id)}`),
  create: (dashboard: Dashboard) => api.post<Dashboard>('/dashboards', dashboard),
  save: (id: string, dashboard: Dashboard) => api.put<Dashboard>(`/dashboards/${enc(id)}`, dashboard),
  remove: (id: string) => api.delete<void>(`/dashboards/${enc(id)}`),
  chart: (chartQuery: ChartQuery) => api.post<ChartResult>('/charts/query', chartQuery),
  rows: (source: ChartSource, filters: QueryFilter[], page: number, pageSize: number) => api.post<DetailPage>('/charts/rows', { source, filters, page, pageSize }),
  heatmap: (key: string, params: { version?: number; from?: string; to?: string }) =>
    api.get<{ nodes: HeatmapNode[] }>(`/definitions/${enc(key)}/heatmap${query(params)}`),
  heatmapInstances: (key: string, elementId: string, page: number) =>
    api.get<{ items: HeatmapInstance[]; total: number }>(`/definitions/${enc(key)}/heatmap/${enc(elementId)}/instances${query({ page })}`),
};
