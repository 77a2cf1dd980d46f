/**
 * `/p/:token`: the page a customer opens from a public link (外链), outside the login shell.
 * Phone first: one column, large touch targets, the form rendered by the same renderer as
 * inside the product (forms/renderer). It follows the browser's language until the visitor
 * switches. Each state the server answers has its own clear page: thank-you, used, expired,
 * withdrawn, closed, not found, too many requests.
 */
import { useCallback, useEffect, useMemo, useState, type CSSProperties } from 'react';
import { App, Button, Card, Result, Spin, Typography } from 'antd';
import { useParams } from 'react-router';
import { ApiError, call, type ErrorDetail } from '../api/client.ts';
import type { ApiResponse } from '../api/types.ts';
import { useFormat } from '../i18n/format.ts';
import { pickText, useLocale, useMessages, type Locale, type LocalizedText } from '../i18n/i18n.tsx';
import { FormRenderer, type FieldAccess } from '../forms/renderer/FormRenderer.tsx';
import { publicMessages, LINK_STATES, type LinkState } from './i18n.ts';
import { useBrowserLanguage } from './useBrowserLanguage.ts';

type LinkPage = ApiResponse<'getPublicLink'>;
type PageState = { kind: 'loading' } | { kind: 'open'; page: LinkPage } | { kind: 'done' } | { kind: 'closed'; code: LinkState | 'unknown' };

/** Phone first: one column as wide as the screen, at most 560 px on a desktop. */
const styles = {
  page: { minHeight: '100vh', background: '#f5f7fa', padding: '8px 12px 32px', maxWidth: 560, margin: '0 auto', boxSizing: 'border-box' },
  bar: { display: 'flex', justifyContent: 'flex-end' },
  center: { display: 'flex', justifyContent: 'center', paddingTop: 96 },
  card: { width: '100%' },
  title: { fontSize: 18, whiteSpace: 'normal' },
} satisfies Record<string, CSSProperties>;

/** The link's own title when the admin gave one, else the form's title in the page's language. */
function pageTitle(page: LinkPage, locale: Locale): string {
  if (page.title !== page.form.title) return page.title;
  return pickText((page.form.uiSchema['ui:title'] as LocalizedText) ?? page.form.title, locale, page.title);
}

function closedState(error: unknown): PageState {
  const code = error instanceof ApiError ? error.code : '';
  return { kind: 'closed', code: (LINK_STATES as readonly string[]).includes(code) ? (code as LinkState) : 'unknown' };
}

/** The form as the visitor fills it: fixed values read-only (shown as plain text), staff-only fields left off. */
function publicForm(page: LinkPage) {
  const schema = structuredClone(page.form.schema) as { properties?: Record<string, Record<string, unknown>> };
  const permissions: Record<string, FieldAccess> = {};
  for (const name of page.hiddenFields) permissions[name] = 'hidden';
  for (const name of Object.keys(page.prefill)) {
    permissions[name] = 'readonly';
    // A lookup or picker would ask the server for staff data: the fixed value is shown as text.
    const field = schema.properties?.[name];
    if (field) {
      delete field['x-lookup'];
      delete field['x-widget'];
    }
  }
  return { schema: schema as Record<string, unknown>, permissions };
}

export function PublicLinkPage() {
  const { token = '' } = useParams();
  useBrowserLanguage();
  const t = useMessages(publicMessages);
  const { locale, setLocale } = useLocale();
  const format = useFormat();
  const { message } = App.useApp();
  const [state, setState] = useState<PageState>({ kind: 'loading' });
  const [data, setData] = useState<Record<string, unknown>>({});
  const [serverErrors, setServerErrors] = useState<ErrorDetail[]>([]);
  const [sending, setSending] = useState(false);

  const load = useCallback(() => {
    setState({ kind: 'loading' });
    call('getPublicLink', { path: { token } }).then(
      (page) => {
        setData({ ...page.prefill });
        setState({ kind: 'open', page });
      },
      (error: unknown) => setState(closedState(error)),
    );
  }, [token]);
  useEffect(load, [load]);

  const form = useMemo(() => (state.kind === 'open' ? publicForm(state.page) : null), [state]);

  async function submit(values: Record<string, unknown>) {
    setSending(true);
    try {
      // The page's own query (?channel=…) goes along: the server records it with the answer.
      const search = window.location.search;
      await call('answerPublicLink', { path: { token }, body: { data: values }, query: Object.fromEntries(new URLSearchParams(search)) as never });
      setState({ kind: 'done' });
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.details.length > 0) {
        setServerErrors(error.details);
        message.error(t('fixErrors'));
      } else if (error instanceof ApiError && (error.status === 410 || error.status === 404 || error.status === 429)) {
        setState(closedState(error));
      } else message.error(t('failed'));
    } finally {
      setSending(false);
    }
  }

  return (
    <div style={styles.page} data-testid="public-link-page">
      <div style={styles.bar}>
        <Button type="link" size="small" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')} data-testid="public-link-language">
          {t('language')}
        </Button>
      </div>
      {state.kind === 'loading' && (
        <div style={styles.center}>
          <Spin tip={t('loading')} size="large">
            <div style={{ width: 120, height: 80 }} />
          </Spin>
        </div>
      )}
      {state.kind === 'done' && (
        <Result status="success" title={t('thanksTitle')} subTitle={t('thanksBody')} data-testid="public-link-thanks" />
      )}
      {state.kind === 'closed' && <ClosedPage code={state.code} onRetry={load} />}
      {state.kind === 'open' && form && (
        <Card
          style={styles.card}
          title={<span style={styles.title}>{pageTitle(state.page, locale)}</span>}
          data-testid="public-link-form"
        >
          {state.page.expiresAt && (
            <Typography.Paragraph type="secondary" data-testid="public-link-expiry">
              {t('expiresAt', { date: format.dateTime(state.page.expiresAt) })}
            </Typography.Paragraph>
          )}
          <FormRenderer
            schema={form.schema}
            uiSchema={state.page.form.uiSchema}
            permissions={form.permissions}
            formData={data}
            serverErrors={serverErrors}
            onChange={(next) => {
              setServerErrors([]);
              setData(next);
            }}
            onSubmit={(values) => void submit(values)}
          >
            <Button type="primary" htmlType="submit" size="large" block loading={sending} data-testid="public-link-submit">
              {sending ? t('submitting') : t('submit')}
            </Button>
          </FormRenderer>
        </Card>
      )}
    </div>
  );
}

function ClosedPage({ code, onRetry }: { code: LinkState | 'unknown'; onRetry(): void }) {
  const t = useMessages(publicMessages);
  if (code === 'unknown') {
    return (
      <Result
        status="warning"
        title={t('unknownTitle')}
        subTitle={t('unknownBody')}
        extra={<Button onClick={onRetry}>{t('retry')}</Button>}
        data-testid="public-link-state-unknown"
      />
    );
  }
  const status = code === 'link_not_found' ? '404' : code === 'link_closed' ? 'info' : 'warning';
  return (
    <Result status={status} title={t(code)} subTitle={t(`${code}Body`)} data-testid={`public-link-state-${code}`} />
  );
}
