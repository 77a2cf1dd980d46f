/**
 * The 12-column widget grid (react-grid-layout 2): static on the viewer, draggable by the
 * widget's title and resizable from its corner in the designer. On a narrow screen (a phone)
 * the viewer stacks the widgets in layout order instead.
 */
import 'react-grid-layout/css/styles.css';
import 'react-resizable/css/styles.css';
import type { ReactNode } from 'react';
import ReactGridLayout, { useContainerWidth, verticalCompactor, type Layout } from 'react-grid-layout';
import type { GridLayout, Widget } from './model.ts';

export const GRID_COLS = 12;
export const ROW_HEIGHT = 80;
export const DRAG_HANDLE = 'lz-widget-drag';

export interface DashboardGridProps {
  widgets: Widget[];
  render: (widget: Widget) => ReactNode;
  editable?: boolean;
  onLayout?: (layouts: Record<string, GridLayout>) => void;
}

const byPosition = (a: Widget, b: Widget) => a.layout.y - b.layout.y || a.layout.x - b.layout.x;

export function DashboardGrid({ widgets, render, editable = false, onLayout }: DashboardGridProps) {
  const { width, containerRef, mounted } = useContainerWidth();
  const layout: Layout = widgets.map((widget) => ({ i: widget.id, ...widget.layout, minW: 2, minH: 2 }));
  const narrow = mounted && width < 640 && !editable;
  return (
    <div ref={containerRef} data-testid="dashboard-grid">
      {narrow &&
        [...widgets].sort(byPosition).map((widget) => (
          <div key={widget.id} style={{ height: widget.layout.h * ROW_HEIGHT, marginBottom: 12 }}>
            {render(widget)}
          </div>
        ))}
      {mounted && !narrow && (
        <ReactGridLayout
          width={width}
          layout={layout}
          gridConfig={{ cols: GRID_COLS, rowHeight: ROW_HEIGHT, margin: [12, 12] }}
          dragConfig={{ enabled: editable, handle: `.${DRAG_HANDLE}` }}
          resizeConfig={{ enabled: editable }}
          compactor={verticalCompactor}
          onLayoutChange={(next) => {
            if (!editable || !onLayout) return;
            onLayout(Object.fromEntries(next.map((item) => [item.i, { x: item.x, y: item.y, w: item.w, h: item.h }])));
          }}
        >
          {widgets.map((widget) => (
            <div key={widget.id}>{render(widget)}</div>
          ))}
        </ReactGridLayout>
      )}
    </div>
  );
}
