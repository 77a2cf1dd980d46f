/**
 * ECharts with only what the dashboards draw (bar, line, pie, funnel, gauge; grid, tooltip,
 * legend, mark lines; the canvas renderer): `echarts/core` + `use` keeps the chunk a fraction
 * of the full build. Loaded with the dashboard pages only.
 */
import { BarChart, FunnelChart, GaugeChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, FunnelChart, GaugeChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

export { echarts };
export type { ECharts, EChartsCoreOption } from 'echarts/core';
