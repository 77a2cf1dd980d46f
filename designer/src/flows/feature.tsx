/**
 * 流程 (admin): the flow list, a new flow, and the designer. The designer page and bpmn-js
 * are loaded only when opened, so staff pages never download them.
 */
import { ApartmentOutlined } from '@ant-design/icons';
import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { isAdmin, type Feature } from '../app/feature.ts';
import { FlowListPage } from './FlowListPage.tsx';
import { NewFlowPage } from './NewFlowPage.tsx';

const FlowDesignerPage = lazy(() => import('./designer/FlowDesignerPage.tsx').then((module) => ({ default: module.FlowDesignerPage })));

function Designer() {
  return (
    <Suspense fallback={<Spin style={{ display: 'block', marginTop: 80 }} />}>
      <FlowDesignerPage />
    </Suspense>
  );
}

export const flowsFeature: Feature = {
  name: 'flows',
  routes: [
    { path: '/flows', element: <FlowListPage /> },
    { path: '/flows/new', element: <NewFlowPage /> },
    { path: '/flows/:key/design', element: <Designer /> },
  ],
  menu: [{ path: '/flows', label: { 'zh-CN': '流程', en: 'Flows' }, icon: <ApartmentOutlined />, visible: isAdmin }],
};
