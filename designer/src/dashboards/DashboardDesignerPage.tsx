/**
 * The dashboard designer (admin): `/dashboards/new` and `/dashboards/:id/design`. The grid of
 * widgets, dragged by their titles and resized from their corners; 添加组件 opens the widget
 * editor drawer; 仪表盘筛选 and 共享 open their dialogs; 保存 stores the whole board (a 409
 * says someone saved first, a 422's details are shown beside the widget, filter or title they
 * name).
 */
import { DeleteOutlined, EditOutlined, FilterOutlined, PlusOutlined, SaveOutlined, ShareAltOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Popconfirm, Result, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, type ErrorDetail } from '../api/client.ts';
import { useLoad } from '../api/useLoad.ts';
import { useMessages, type LocalizedText } from '../i18n/i18n.tsx';
import { dashboardsApi } from './api.ts';
import { DashboardGrid, DRAG_HANDLE } from './DashboardGrid.tsx';
import { detailsElsewhere, detailsUnder, messageAt } from './errors.ts';
import { FiltersEditor } from './FiltersEditor.tsx';
import { messages } from './messages.ts';
import { dashboardInput, MAX_WIDGETS, type Dashboard, type Widget } from './model.ts';
import { SharingEditor } from './SharingEditor.tsx';
import { forgetForms } from './sourceFields.ts';
import { DEFAULT_SIZE, emptyDashboard, newWidget, nextSpot } from './widgetDefaults.ts';
import { WidgetEditor } from './WidgetEditor.tsx';
import { WidgetView } from './WidgetView.tsx';

export function DashboardDesignerPage() {
  const { id } = useParams();
  const t = useMessages(messages);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const loaded = useLoad(() => (id ? dashboardsApi.get(id) : Promise.resolve(null)), [id]);
  const [draft, setDraft] = useState<Dashboard | null>(null);
  const [editing, setEditing] = useState<Widget | null>(null);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [sharingOpen, setSharingOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [details, setDetails] = useState<ErrorDetail[]>([]);
  const [saveError, setSaveError] = useState<string | null>(null);

  useEffect(() => {
    forgetForms();
    if (id && loaded.data) setDraft(loaded.data);
    if (!id) setDraft(emptyDashboard(''));
  }, [id, loaded.data]);

  if (id && loaded.error) return <Result status="warning" title={t('loadFailed', { error: loaded.error.message })} extra={<Link to="/dashboards">{t('back')}</Link>} />;
  if (!draft) return <Spin style={{ display: 'block', marginTop: 80 }} />;

  const title = (lang: 'zh-CN' | 'en') => (typeof draft.title === 'object' && draft.title ? (draft.title[lang] ?? '') : lang === 'zh-CN' ? String(draft.title ?? '') : '');
  const setTitle = (lang: 'zh-CN' | 'en', text: string) => setDraft({ ...draft, title: { 'zh-CN': title('zh-CN'), en: title('en'), [lang]: text } as LocalizedText });

  const addWidget = () => {
    if (draft.widgets.length >= MAX_WIDGETS) return message.warning(t('tooMany', { max: MAX_WIDGETS }));
    // A new chart starts on the source of the last one: boards are mostly about one or two forms.
    const last = [...draft.widgets].reverse().find((widget) => widget.query)?.query?.source;
    const widget = newWidget(draft, 'bar', last ?? { kind: 'records', formKey: '' }, '');
    setEditing(widget);
  };

  const applyWidget = (widget: Widget) => {
    const exists = draft.widgets.some((candidate) => candidate.id === widget.id);
    // A new widget takes the size of the type it ended up as (a KPI smaller than the bar it started as).
    const placed = exists ? widget : { ...widget, layout: nextSpot(draft.widgets, DEFAULT_SIZE[widget.type]) };
    setDraft({ ...draft, widgets: exists ? draft.widgets.map((candidate) => (candidate.id === widget.id ? widget : candidate)) : [...draft.widgets, placed] });
    // The widget's old errors go with the edit.
    const index = exists ? draft.widgets.findIndex((candidate) => candidate.id === widget.id) : -1;
    if (index >= 0) setDetails(details.filter((detail) => !detail.pointer.startsWith(`/widgets/${index}/`) && detail.pointer !== `/widgets/${index}`));
    setEditing(null);
  };

  const save = async () => {
    setSaving(true);
    setDetails([]);
    setSaveError(null);
    try {
      const body = dashboardInput(draft);
      const saved = draft.id ? await dashboardsApi.save(draft.id, body) : await dashboardsApi.create(body);
      message.success(t('saved'));
      setDraft(saved);
      if (!draft.id && saved.id) navigate(`/dashboards/${saved.id}/design`, { replace: true });
    } catch (error) {
      const failure = error instanceof ApiError ? error : null;
      setDetails(failure?.details ?? []);
      setSaveError((error as Error).message);
      message.error(t('saveFailed', { error: (error as Error).message }));
    } finally {
      setSaving(false);
    }
  };

  const widgetIndex = (widget: Widget) => draft.widgets.findIndex((candidate) => candidate.id === widget.id);
  const widgetErrors = (widget: Widget) => messageAt(details, `/widgets/${widgetIndex(widget)}`);
  const placed = draft.widgets.map((_, index) => `/widgets/${index}`);
  const elsewhere = detailsElsewhere(details, ['/title', '/filters', '/sharing', ...placed]);

  const renderWidget = (widget: Widget) => (
    <div style={{ height: '100%', display: 'flex', flexDirection: 'column' }} data-testid={`designer-widget-${widget.id}`}>
      {widgetErrors(widget) && <Alert type="error" showIcon title={widgetErrors(widget)} data-testid={`widget-save-error-${widget.id}`} style={{ marginBottom: 4 }} />}
      <div style={{ flex: 1, minHeight: 0 }}>
        <WidgetView
          widget={widget}
          query={widget.query ?? null}
          dragHandleClass={DRAG_HANDLE}
          extra={
            <>
              <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(widget)} data-testid={`widget-edit-${widget.id}`} aria-label={t('editWidget')} />
              <Popconfirm title={t('removeWidget')} onConfirm={() => setDraft({ ...draft, widgets: draft.widgets.filter((candidate) => candidate.id !== widget.id) })}>
                <Button size="small" type="text" icon={<DeleteOutlined />} data-testid={`widget-remove-${widget.id}`} aria-label={t('removeWidget')} />
              </Popconfirm>
            </>
          }
        />
      </div>
    </div>
  );

  return (
    <div data-testid="dashboard-designer">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap align="start">
        <Form layout="inline">
          <Form.Item label={t('title')} validateStatus={messageAt(details, '/title') ? 'error' : undefined} help={messageAt(details, '/title')}>
            <Input data-testid="dashboard-title-input" style={{ width: 240 }} value={title('zh-CN')} placeholder={t('untitled')} onChange={(event) => setTitle('zh-CN', event.target.value)} />
          </Form.Item>
          <Form.Item label={t('titleEn')}>
            <Input style={{ width: 200 }} value={title('en')} onChange={(event) => setTitle('en', event.target.value)} />
          </Form.Item>
        </Form>
        <Space wrap>
          <Button icon={<PlusOutlined />} onClick={addWidget} data-testid="dashboard-add-widget">
            {t('addWidget')}
          </Button>
          <Button icon={<FilterOutlined />} onClick={() => setFiltersOpen(true)} data-testid="dashboard-filters-edit" danger={!!messageAt(details, '/filters')}>
            {t('dashboardFilters')} {draft.filters.length ? `(${draft.filters.length})` : ''}
          </Button>
          <Button icon={<ShareAltOutlined />} onClick={() => setSharingOpen(true)} data-testid="dashboard-sharing" danger={!!messageAt(details, '/sharing')}>
            {t('sharing')}
          </Button>
          {draft.id && (
            <Link to={`/dashboards/${draft.id}`}>
              <Button data-testid="dashboard-open">{t('open')}</Button>
            </Link>
          )}
          <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={save} data-testid="dashboard-save">
            {t('save')}
          </Button>
        </Space>
      </Space>
      {saveError && elsewhere.length > 0 && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={elsewhere.map((detail) => `${detail.pointer} ${detail.message}`).join('; ')} data-testid="dashboard-save-error" />
      )}
      {saveError && details.length === 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={saveError} data-testid="dashboard-save-error" />}
      <Typography.Paragraph type="secondary">{t('designerHint')}</Typography.Paragraph>
      {draft.widgets.length === 0 ? (
        <Alert type="info" title={t('empty')} />
      ) : (
        <DashboardGrid
          editable
          widgets={draft.widgets}
          render={renderWidget}
          onLayout={(layouts) => {
            const changed = draft.widgets.some((widget) => {
              const next = layouts[widget.id];
              return next && (next.x !== widget.layout.x || next.y !== widget.layout.y || next.w !== widget.layout.w || next.h !== widget.layout.h);
            });
            if (changed) setDraft({ ...draft, widgets: draft.widgets.map((widget) => ({ ...widget, layout: layouts[widget.id] ?? widget.layout })) });
          }}
        />
      )}
      {editing && (
        <WidgetEditor
          widget={editing}
          filters={draft.filters}
          details={widgetIndex(editing) >= 0 ? detailsUnder(details, `/widgets/${widgetIndex(editing)}`) : []}
          onDone={applyWidget}
          onCancel={() => setEditing(null)}
        />
      )}
      <FiltersEditor
        open={filtersOpen}
        filters={draft.filters}
        details={details}
        onCancel={() => setFiltersOpen(false)}
        onDone={(filters) => {
          setDraft({ ...draft, filters });
          setFiltersOpen(false);
        }}
      />
      <SharingEditor
        open={sharingOpen}
        sharing={draft.sharing}
        error={messageAt(details, '/sharing')}
        onCancel={() => setSharingOpen(false)}
        onDone={(sharing) => {
          setDraft({ ...draft, sharing });
          setSharingOpen(false);
        }}
      />
    </div>
  );
}
