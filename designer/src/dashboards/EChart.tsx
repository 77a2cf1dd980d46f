/**
 * One ECharts instance in a div that follows its size (a grid cell being resized, the window):
 * `option` is applied with `notMerge` so a new answer replaces the old series; `onPick` gets
 * the clicked data point's row index. The instance is handed out through `chartRef` for
 * 导出 PNG (`getDataURL`).
 */
import { useEffect, useRef, type MutableRefObject } from 'react';
import { echarts, type ECharts, type EChartsCoreOption } from './echarts.ts';

export interface EChartProps {
  option: EChartsCoreOption;
  onPick?: (rowIndex: number) => void;
  chartRef?: MutableRefObject<ECharts | null>;
  testId?: string;
}

export function EChart({ option, onPick, chartRef, testId }: EChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    if (chartRef) chartRef.current = instance;
    instance.on('click', (params) => {
      const data = (params as { data?: { rowIndex?: number } }).data;
      if (data && typeof data.rowIndex === 'number' && data.rowIndex >= 0) pick.current?.(data.rowIndex);
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
      if (chartRef) chartRef.current = null;
    };
  }, [chartRef]);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={container} className="lz-echart" data-testid={testId} style={{ width: '100%', height: '100%', cursor: onPick ? 'pointer' : undefined }} />;
}
