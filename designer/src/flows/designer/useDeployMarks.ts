/**
 * Deploy problems on the canvas: each detail's pointer is an element id; the element gets
 * the `lz-error` marker and a red badge with its problem count (hover shows the messages).
 * Clicking a listed problem selects and reveals its element.
 */
import { useCallback, useState } from 'react';
import type { DeployDetail } from './DeployErrors.tsx';
import type { Services } from './modeler.ts';

const OVERLAY = 'lz-deploy-errors';

export function useDeployMarks(services: Services | null) {
  const [details, setDetails] = useState<DeployDetail[]>([]);
  const [kind, setKind] = useState<'error' | 'warning'>('error');
  const [marked, setMarked] = useState<string[]>([]);

  const clear = useCallback(() => {
    if (services) {
      for (const id of marked) if (services.elementRegistry.get(id)) services.canvas.removeMarker(id, 'lz-error');
      services.overlays.remove({ type: OVERLAY });
    }
    setMarked([]);
    setDetails([]);
  }, [services, marked]);

  const show = useCallback(
    (nextKind: 'error' | 'warning', next: DeployDetail[]) => {
      setKind(nextKind);
      setDetails(next);
      if (!services || nextKind !== 'error') return;
      const byElement = new Map<string, string[]>();
      for (const detail of next) {
        if (!detail.pointer || !services.elementRegistry.get(detail.pointer)) continue;
        byElement.set(detail.pointer, [...(byElement.get(detail.pointer) ?? []), detail.message]);
      }
      for (const [id, messages] of byElement) {
        services.canvas.addMarker(id, 'lz-error');
        const badge = document.createElement('div');
        badge.className = 'lz-error-badge';
        badge.textContent = String(messages.length);
        badge.title = messages.join('\n');
        badge.dataset.testid = `deploy-error-badge-${id}`;
        badge.addEventListener('click', () => select(id));
        services.overlays.add(id, OVERLAY, { position: { top: -9, right: 9 }, html: badge });
      }
      setMarked([...byElement.keys()]);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [services],
  );

  const select = useCallback(
    (id: string) => {
      const element = services?.elementRegistry.get(id);
      if (!services || !element) return;
      services.canvas.scrollToElement(element);
      services.selection.select(element);
    },
    [services],
  );

  /** The element's name ('' when it has none) if it is on the canvas, else null. */
  const nameOf = useCallback(
    (id: string) => {
      const element = services?.elementRegistry.get(id);
      return element ? (element.businessObject.name ?? '') : null;
    },
    [services],
  );

  return { details, kind, show, clear, select, nameOf };
}
