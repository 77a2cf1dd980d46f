/**
 * /flows/new → /flows/:key/design: the bpmn-js Modeler (lazy-loaded) with our own properties
 * panel. Every edit goes through bpmn-js commands, so undo/redo covers the panel too.
 * Deploy errors are listed and marked on the canvas (marker `lz-error` + a badge overlay).
 */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Empty, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError } from '../../api/client.ts';
import type { ApiResponse } from '../../api/types.ts';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { fitDiagram } from './branches/viewport.ts';
import { DeployErrors, type DeployDetail } from './DeployErrors.tsx';
import { discardDraft, saveDraft } from './drafts.ts';
import { addApprovalAt } from './insertApproval.ts';
import { loadFlow, type DefinitionSummary, type LoadedFlow } from './loadFlow.ts';
import type { DiagramElement, ModelerLike, Services } from './modeler.ts';
import { PropertiesPanel } from './PropertiesPanel.tsx';
import { Toolbar } from './Toolbar.tsx';
import { messages } from './designerMessages.ts';
import { useDeployMarks } from './useDeployMarks.ts';

export function FlowDesignerPage() {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const { locale } = useLocale();
  const { key = '' } = useParams();
  const navigate = useNavigate();
  const container = useRef<HTMLDivElement>(null);
  const modeler = useRef<ModelerLike | null>(null);
  const [flow, setFlow] = useState<LoadedFlow | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [services, setServices] = useState<Services | null>(null);
  const [selected, setSelected] = useState<DiagramElement | null>(null);
  const [revision, setRevision] = useState(0);
  const [deploying, setDeploying] = useState(false);
  // Kept apart from `flow`: a deploy updates these without re-importing the diagram.
  const [deployed, setDeployed] = useState<DefinitionSummary | undefined>(undefined);
  const [draftNotice, setDraftNotice] = useState(false);
  const marks = useDeployMarks(services);

  useEffect(() => {
    let cancelled = false;
    setFlow(undefined);
    loadFlow(key).then(
      (loaded) => {
        if (cancelled) return;
        setFlow(loaded);
        setDeployed(loaded?.deployed);
        setDraftNotice(loaded?.source === 'draft');
      },
      (err: Error) => !cancelled && setLoadError(err.message),
    );
    return () => {
      cancelled = true;
    };
  }, [key]);

  useEffect(() => {
    if (!flow || !container.current) return;
    let cancelled = false;
    let instance: ModelerLike | null = null;
    void (async () => {
      const runtime = await import('../bpmnRuntime.ts');
      if (cancelled || !container.current) return;
      runtime.setBpmnLocale(locale);
      instance = new runtime.Modeler({
        container: container.current,
        moddleExtensions: { camunda: runtime.camundaModdle, liuzhuan: runtime.liuzhuanModdle },
        additionalModules: [runtime.translateModule, runtime.branchActionsModule, runtime.roundTripModule],
      }) as unknown as ModelerLike;
      modeler.current = instance;
      try {
        await instance.importXML(flow.xml);
      } catch (err) {
        if (!cancelled) setLoadError((err as Error).message);
        return;
      }
      if (cancelled) return;
      const all: Services = new Proxy({} as Services, { get: (_, name: string) => instance!.get(name as keyof Services) });
      fitDiagram(all);
      all.eventBus.on('selection.changed', (event) => setSelected(event.newSelection?.[0] ?? null));
      all.eventBus.on('commandStack.changed', () => setRevision((n) => n + 1));
      setServices(all);
    })();
    return () => {
      cancelled = true;
      instance?.destroy();
      modeler.current = null;
      setServices(null);
      setSelected(null);
    };
    // The locale is read once here; the effect below follows later switches without a re-import.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [flow]);

  // The palette, context pad and menus follow the UI language (branches/bpmnTranslations.ts).
  useEffect(() => {
    if (!services) return;
    void import('../bpmnRuntime.ts').then((runtime) => {
      runtime.setBpmnLocale(locale);
      services.contextPad.close();
      services.eventBus.fire('i18n.changed');
    });
  }, [services, locale]);

  const currentXml = useCallback(async () => (await modeler.current!.saveXML({ format: true })).xml ?? '', []);
  const processKey = () => services?.canvas.getRootElement().businessObject.id ?? key;

  const onSaveDraft = async () => {
    const draft = saveDraft(processKey(), await currentXml());
    message.success(t('draftSaved', { time: new Date(draft.savedAt).toLocaleTimeString() }));
  };

  const onDeploy = async () => {
    setDeploying(true);
    marks.clear();
    try {
      const deployed = await api.post<ApiResponse<'deployDefinition'>>('/definitions', { xml: await currentXml() });
      message.success(t('deployed', { version: deployed.version }));
      discardDraft(deployed.key);
      if (deployed.key !== key) discardDraft(key);
      // A warning names its element by id; the canvas marks take it as the detail's pointer.
      marks.show('warning', deployed.warnings.map((warning) => ({ pointer: warning.elementId ?? '', message: warning.message, line: warning.line, code: warning.code, params: warning.params })));
      setDeployed({ id: deployed.id, key: deployed.key, version: deployed.version, name: deployed.name, deployedAt: new Date().toISOString() });
      setDraftNotice(false);
      if (deployed.key !== key) navigate(`/flows/${encodeURIComponent(deployed.key)}/design`, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.details.length > 0) {
        marks.show('error', err.details as DeployDetail[]);
        message.error(t('deployRefused'));
      } else {
        message.error(t('deployFailed', { error: (err as Error).message }));
      }
    } finally {
      setDeploying(false);
    }
  };

  const onDownload = async () => {
    let xml: string;
    try {
      xml = await currentXml();
    } catch (err) {
      message.error(t('downloadFailed', { error: (err as Error).message }));
      return;
    }
    const blob = new Blob([xml], { type: 'application/xml' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${processKey()}.bpmn`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const onImport = async (text: string, fileName: string) => {
    try {
      await modeler.current!.importXML(text);
      if (services) fitDiagram(services);
      marks.clear();
      setRevision((n) => n + 1);
      message.success(t('imported', { file: fileName }));
    } catch (err) {
      message.error(t('importFailed', { error: (err as Error).message }));
    }
  };

  const onAddApproval = () => {
    if (!services) return;
    if (addApprovalAt(services, selected) === false) message.warning(t('nowhereToAdd'));
  };

  if (loadError) return <Alert type="error" showIcon title={t('loadFailed')} description={loadError} data-testid="flow-load-error" />;
  if (flow === undefined) return <Spin style={{ display: 'block', marginTop: 80 }} data-testid="flow-loading" />;
  if (flow === null) {
    return (
      <Empty description={t('notFound', { key })} data-testid="flow-not-found">
        <Link to="/flows/new">{t('createInstead')}</Link>
      </Empty>
    );
  }

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="small">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space>
          <Link to="/flows" data-testid="flow-back"><ArrowLeftOutlined /> {t('back')}</Link>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="flow-title">
            {services?.canvas.getRootElement().businessObject.name || key}
          </Typography.Title>
          <Tag>{processKey()}</Tag>
          {deployed ? <Tag color="blue" data-testid="flow-version">{t('deployedVersion', { version: deployed.version })}</Tag> : <Tag data-testid="flow-version">{t('notDeployed')}</Tag>}
        </Space>
        <Toolbar
          ready={services !== null}
          deploying={deploying}
          canUndo={services?.commandStack.canUndo() ?? false}
          canRedo={services?.commandStack.canRedo() ?? false}
          onSaveDraft={() => void onSaveDraft()}
          onDeploy={() => void onDeploy()}
          onDownload={() => void onDownload()}
          onImport={(text, name) => void onImport(text, name)}
          onUndo={() => services?.commandStack.undo()}
          onRedo={() => services?.commandStack.redo()}
          onAddApproval={onAddApproval}
        />
      </Space>
      {draftNotice && flow.draft && (
        <Alert
          type="info"
          showIcon
          data-testid="draft-restored"
          title={t(deployed ? 'draftRestored' : 'newFlowDraft', { time: new Date(flow.draft.savedAt).toLocaleString() })}
          action={
            deployed && (
              <Button size="small" data-testid="draft-discard" onClick={() => { discardDraft(key); setFlow(undefined); void loadFlow(key).then((loaded) => { setFlow(loaded); setDraftNotice(false); }); }}>
                {t('discardDraft')}
              </Button>
            )
          }
        />
      )}
      {marks.details.length > 0 && (
        <DeployErrors kind={marks.kind} details={marks.details} onCanvas={marks.nameOf} onSelect={marks.select} onClose={marks.clear} />
      )}
      <div className="lz-designer">
        <div ref={container} className="lz-designer-canvas" data-testid="flow-canvas" />
        <div className="lz-designer-panel" data-testid="flow-properties">
          {services ? <PropertiesPanel services={services} selected={selected} revision={revision} /> : <Spin />}
        </div>
      </div>
    </Space>
  );
}
