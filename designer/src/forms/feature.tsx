/**
 * 表单 (admins): form list, the Jiandaoyun-style designer, and each form's data; 数据 (all
 * users): the same list without design actions, to browse and add records.
 */
import { DatabaseOutlined, FormOutlined } from '@ant-design/icons';
import type { Feature } from '../app/feature.ts';
import { isAdmin } from '../app/feature.ts';
import { FormDesignerPage } from './designer/FormDesignerPage.tsx';
import { FormsListPage } from './FormsListPage.tsx';
import { RecordCreatePage } from './records/RecordCreatePage.tsx';
import { RecordsPage } from './records/RecordsPage.tsx';
import { RecordViewPage } from './records/RecordViewPage.tsx';

export const formsFeature: Feature = {
  name: 'forms',
  routes: [
    { path: '/forms', element: <FormsListPage design /> },
    { path: '/data', element: <FormsListPage design={false} /> },
    { path: '/forms/new', element: <FormDesignerPage /> },
    { path: '/forms/:key/design', element: <FormDesignerPage /> },
    { path: '/forms/:key/records', element: <RecordsPage /> },
    { path: '/forms/:key/records/new', element: <RecordCreatePage /> },
    { path: '/forms/:key/records/:id', element: <RecordViewPage /> },
  ],
  menu: [
    { path: '/forms', label: { 'zh-CN': '表单', en: 'Forms' }, icon: <FormOutlined />, visible: isAdmin },
    // A form's records are 数据, though their paths sit under /forms.
    { path: '/data', pages: ['/forms/:key/records/*'], label: { 'zh-CN': '数据', en: 'Data' }, icon: <DatabaseOutlined /> },
  ],
};
