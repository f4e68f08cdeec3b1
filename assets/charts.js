// The parts of ECharts the platform's charts use (bar, line and pie charts on a grid, with
// tooltips, legends, zoom and the accessibility description), bundled by esbuild at install
// time (`make install`) into one file that the chart pages load instead of the whole library.
import * as echarts from "echarts/core";
import { BarChart, LineChart, PieChart } from "echarts/charts";
import {
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);
window.echarts = echarts;
