/**
 * Dashboards and charts as the engine offers them (`engine.analytics`, engine/engine.ts).
 * Queries read through the pool in their own read-only, time-limited transactions (run.ts);
 * who may write dashboards is the route's check (admins).
 */
import type { Knex } from 'knex';
import type { AuthUser } from '../identity/types.ts';
import { createDashboard, deleteDashboard, getDashboard, listDashboards, updateDashboard } from './dashboards.ts';
import { definitionHeatmap, heatmapInstances, type HeatmapRange } from './heatmap.ts';
import { runChartQuery, runChartRows } from './run.ts';

export type { ChartAnswer } from './run.ts';
export type { DashboardView, DashboardInput } from './dashboards.ts';
export type { HeatmapNode, HeatmapRange } from './heatmap.ts';
export type { ChartQuery } from './query.ts';

export function analyticsApi(db: Knex, clock: () => Date) {
  return {
    /** A chart query (issue 15 contract) run with the caller's data permissions → `{columns, rows, truncated}`. */
    query: (user: AuthUser, body: unknown) => runChartQuery(db, user, body, clock()),
    /** The rows behind a number (drill-down, detail table) → `{items, total}`. */
    rows: (user: AuthUser, body: unknown) => runChartRows(db, user, body, clock()),
    listDashboards: (user: AuthUser) => listDashboards(db, user),
    getDashboard: (user: AuthUser, idOrKey: string) => getDashboard(db, user, idOrKey),
    createDashboard: (user: AuthUser, body: unknown) => createDashboard(db, user, body),
    updateDashboard: (user: AuthUser, id: string, body: unknown) => updateDashboard(db, user, id, body),
    deleteDashboard: (id: string) => deleteDashboard(db, id),
    heatmap: (user: AuthUser, key: string, range: HeatmapRange) => definitionHeatmap(db, user, key, range),
    heatmapInstances: (user: AuthUser, key: string, elementId: string, range: HeatmapRange & { page?: number; pageSize?: number }) =>
      heatmapInstances(db, user, key, elementId, range),
  };
}
