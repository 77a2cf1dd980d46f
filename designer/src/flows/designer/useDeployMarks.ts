/**
 * Deploy problems on the canvas: each detail's pointer is an element id; the element gets
 * the `lz-error` marker and a red badge with its problem count (hover shows the messages in
 * the admin's words). The first element with an error is selected and scrolled into view;
 * clicking a listed problem selects and reveals its element.
 */
import { useCallback, useState } from 'react';
import { currentLocale } from '../../i18n/i18n.tsx';
import type { CanvasElementInfo } from './DeployErrors.tsx';
import { friendlyMessage, type DeployDetail } from './deployMessages.ts';
import { settingsOf, type DiagramElement, type Services } from './modeler.ts';

const isFillIn = (element: DiagramElement) => element.type === 'bpmn:UserTask' && (settingsOf(element).actions?.includes('submit') ?? false);

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
        const element = services.elementRegistry.get(detail.pointer)!;
        const text = friendlyMessage(detail, currentLocale(), isFillIn(element)) ?? detail.message;
        byElement.set(detail.pointer, [...(byElement.get(detail.pointer) ?? []), text]);
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
      const first = [...byElement.keys()][0];
      if (first) select(first);
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

  /** The element's name ('' when it has none) and type if it is on the canvas, else null. */
  const nameOf = useCallback(
    (id: string): CanvasElementInfo | null => {
      const element = services?.elementRegistry.get(id);
      return element ? { name: element.businessObject.name ?? '', type: element.type, fillIn: isFillIn(element) } : null;
    },
    [services],
  );

  return { details, kind, show, clear, select, nameOf };
}
