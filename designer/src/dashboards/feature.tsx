/**
 * 仪表盘: the dashboards list for everyone (each sees the boards shared with them), the viewer,
 * the designer for admins, and the process heat map. The pages and ECharts load only when a
 * dashboard is opened, so other pages never download them.
 */
import { DashboardOutlined } from '@ant-design/icons';
import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType } from 'react';
import type { Feature } from '../app/feature.ts';

const page = (load: () => Promise<ComponentType>) => {
  const Lazy = lazy(() => load().then((component) => ({ default: component })));
  return (
    <Suspense fallback={<Spin style={{ display: 'block', marginTop: 80 }} />}>
      <Lazy />
    </Suspense>
  );
};

export const dashboardsFeature: Feature = {
  name: 'dashboards',
  routes: [
    { path: '/dashboards', element: page(() => import('./DashboardListPage.tsx').then((module) => module.DashboardListPage)) },
    { path: '/dashboards/new', element: page(() => import('./DashboardDesignerPage.tsx').then((module) => module.DashboardDesignerPage)) },
    { path: '/dashboards/heatmap', element: page(() => import('./heatmap/HeatmapPage.tsx').then((module) => module.HeatmapPage)) },
    { path: '/dashboards/heatmap/:key', element: page(() => import('./heatmap/HeatmapPage.tsx').then((module) => module.HeatmapPage)) },
    { path: '/dashboards/:id', element: page(() => import('./DashboardViewPage.tsx').then((module) => module.DashboardViewPage)) },
    { path: '/dashboards/:id/design', element: page(() => import('./DashboardDesignerPage.tsx').then((module) => module.DashboardDesignerPage)) },
  ],
  menu: [{ path: '/dashboards', label: { 'zh-CN': '仪表盘', en: 'Dashboards' }, icon: <DashboardOutlined /> }],
};
