/**
 * 发起回访 and the like: one button per process that declares it starts from records of this
 * form (its settings' startsFrom; engine/forms/recordStarts.ts). Clicking starts it with this
 * record as business key (the process picks its variables from the record), shows a spinner
 * meanwhile and a toast with a button to the new instance. While an instance of it runs for
 * this record (the server allows one, unless the process opts out), the button becomes a link
 * to that instance instead — also when someone else started it a moment ago (409
 * already_running names it). Nothing is shown when no process starts from the form.
 */
import { useEffect, useState } from 'react';
import { App, Button, Tooltip } from 'antd';
import { ClockCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { call, ApiError } from '../../api/client.ts';
import type { ApiResponse } from '../../api/types.ts';
import { useOpenToast } from '../../app/useOpenToast.tsx';
import { useMessages } from '../../i18n/i18n.tsx';
import { startMessages } from './startI18n.ts';

type StartOption = ApiResponse<'listRecordStarts'>[number];

export function StartFromRecord({ formKey, recordId }: { formKey: string; recordId: string }) {
  const t = useMessages(startMessages);
  const { message } = App.useApp();
  const openToast = useOpenToast();
  const [options, setOptions] = useState<StartOption[]>([]);
  const [starting, setStarting] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('listRecordStarts', { path: { key: formKey, id: recordId } })
      .then((found) => live && setOptions(found))
      // No buttons rather than an error box: the record page itself still works.
      .catch(() => live && setOptions([]));
    return () => {
      live = false;
    };
  }, [formKey, recordId]);

  const markRunning = (definitionKey: string, instanceId: string) =>
    setOptions((current) => current.map((o) => (o.definitionKey === definitionKey ? { ...o, runningInstanceId: instanceId } : o)));

  const start = async (option: StartOption) => {
    const name = option.name ?? option.definitionKey;
    setStarting(option.definitionKey);
    try {
      const instance = await call('startFromRecord', {
        path: {
          key: formKey,
          id: recordId,
          definitionKey: option.definitionKey,
        },
      });
      markRunning(option.definitionKey, instance.id);
      openToast({
        key: `started-${instance.id}`,
        title: t('started', { name }),
        to: `/instances/${instance.id}`,
        openLabel: t('openInstance'),
        openTestId: 'record-start-open',
      });
    } catch (error) {
      const running = error instanceof ApiError && error.code === 'already_running' ? error.details[0]?.pointer : undefined;
      if (typeof running === 'string') {
        markRunning(option.definitionKey, running);
        message.warning(t('alreadyRunning', { name }));
        return;
      }
      message.error(
        t('startFailed', {
          error: error instanceof ApiError ? error.message : String(error),
        }),
      );
    } finally {
      setStarting(null);
    }
  };

  return (
    <>
      {options.map((option) =>
        option.runningInstanceId ? (
          <Tooltip
            key={option.definitionKey}
            title={t('runningHelp', {
              name: option.name ?? option.definitionKey,
            })}
          >
            <Link to={`/instances/${option.runningInstanceId}`} data-testid={`record-start-running-${option.definitionKey}`}>
              <Button icon={<ClockCircleOutlined />}>{t('running', { name: option.name ?? option.definitionKey })}</Button>
            </Link>
          </Tooltip>
        ) : (
          <Button
            key={option.definitionKey}
            icon={<PlayCircleOutlined />}
            loading={starting === option.definitionKey}
            disabled={starting !== null && starting !== option.definitionKey}
            onClick={() => void start(option)}
            data-testid={`record-start-${option.definitionKey}`}
          >
            {t('start', { name: option.name ?? option.definitionKey })}
          </Button>
        ),
      )}
    </>
  );
}
