/**
 * A live arrival announced as a toast in the top right with one button that opens it (the
 * new-task toast, the notification toast). The button closes the toast, runs `onOpen` (e.g.
 * mark the notification read) and goes to `to`; without `to` the toast has no button.
 */
import { Button, App } from 'antd';
import type { ReactNode } from 'react';
import { useCallback } from 'react';
import { useNavigate } from 'react-router';

export interface OpenToast {
  key: string;
  title: ReactNode;
  description?: ReactNode;
  icon?: ReactNode;
  className?: string;
  /** The in-app path the button opens. */
  to?: string | null;
  openLabel: string;
  openTestId: string;
  onOpen?: () => void;
}

export function useOpenToast(): (toast: OpenToast) => void {
  const { notification } = App.useApp();
  const navigate = useNavigate();
  return useCallback(
    ({ key, title, description, icon, className, to, openLabel, openTestId, onOpen }: OpenToast) => {
      notification.info({
        key,
        title,
        description,
        icon,
        className,
        placement: 'topRight',
        actions: to ? (
          <Button
            type="primary"
            size="small"
            data-testid={openTestId}
            onClick={() => {
              notification.destroy(key);
              onOpen?.();
              navigate(to);
            }}
          >
            {openLabel}
          </Button>
        ) : undefined,
      });
    },
    [notification, navigate],
  );
}
