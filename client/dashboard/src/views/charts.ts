// The Lorenz curve (with the line of equality) and the Pareto chart (accounts ranked by window
// revenue: bars, the cumulative share as a line, the 80% line marked), drawn with Apache ECharts.
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import type { Concentration, TopAccountRow } from "../gen/actorcrm/v1/ranking_pb";
import { html, money, percent } from "../format";
import { t } from "../i18n";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

const accent = "#2f6fde";
const muted = "#9aa5b4";
const warning = "#d9822b";

/** ECharts sizes text in pixels: follow the page's root font size, which grows on wall displays. */
function textSizes() {
  const root = parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
  const text = { fontSize: Math.round(root * 0.8) };
  return { root, text, label: { ...text }, legend: { textStyle: text, itemWidth: root * 1.6, itemHeight: root * 0.9 } };
}

export class Charts {
  private readonly lorenz: echarts.ECharts;
  private readonly pareto: echarts.ECharts;
  private drawn?: [Concentration, TopAccountRow[]];

  constructor(lorenzElement: HTMLElement, paretoElement: HTMLElement) {
    this.lorenz = echarts.init(lorenzElement);
    this.pareto = echarts.init(paretoElement);
    new ResizeObserver(() => {
      this.lorenz.resize();
      this.pareto.resize();
      if (this.drawn) this.update(...this.drawn); // the text size may have changed with the screen
    }).observe(lorenzElement.parentElement!.parentElement!);
  }

  update(concentration: Concentration, rows: TopAccountRow[]): void {
    this.drawn = [concentration, rows];
    const { root, text, label, legend } = textSizes();
    this.lorenz.setOption({
      textStyle: text,
      animationDuration: 300,
      grid: { left: root * 3.8, right: root * 1.6, top: root * 2.6, bottom: root * 3 },
      legend: { top: 0, ...legend, data: [t("charts.lorenzCurve"), t("charts.equality")] },
      tooltip: { trigger: "axis", textStyle: text, valueFormatter: (v: number) => percent(v) },
      xAxis: { type: "value", min: 0, max: 1, name: t("charts.accountsShare"), nameLocation: "middle", nameGap: root * 1.9, nameTextStyle: text, axisLabel: { ...label, formatter: (v: number) => percent(v, 0) } },
      yAxis: { type: "value", min: 0, max: 1, name: t("charts.revenueShare"), nameTextStyle: text, axisLabel: { ...label, formatter: (v: number) => percent(v, 0) } },
      series: [
        {
          name: t("charts.lorenzCurve"), type: "line", smooth: false, symbolSize: 5, areaStyle: { opacity: 0.12 },
          color: accent, data: concentration.lorenz.map((p) => [p.populationShare, p.revenueShare]),
        },
        { name: t("charts.equality"), type: "line", symbol: "none", color: muted, lineStyle: { type: "dashed" }, data: [[0, 0], [1, 1]] },
      ],
    });

    this.pareto.setOption({
      textStyle: text,
      animationDuration: 300,
      grid: { left: root * 4.8, right: root * 3.7, top: root * 2.6, bottom: root * 3 },
      legend: { top: 0, ...legend, data: [t("charts.revenue"), t("charts.cumulativeShare")] },
      tooltip: {
        trigger: "axis",
        textStyle: text,
        formatter: (items: { dataIndex: number }[]) => {
          const row = rows[items[0]?.dataIndex ?? 0];
          return row ? `#${row.rank} ${html(row.displayName)}<br>${money(row.revenueMinor, concentration.currencyCode)} · ${percent(row.share)}<br>${t("top.cumulative")} ${percent(row.cumulativeShare)}` : "";
        },
      },
      xAxis: { type: "category", data: rows.map((r) => String(r.rank)), name: t("charts.rank"), nameLocation: "middle", nameGap: root * 1.9, nameTextStyle: text, axisLabel: { ...label, interval: "auto" } },
      yAxis: [
        { type: "value", axisLabel: { ...label, formatter: (v: number) => money(v * 100, concentration.currencyCode, true) } },
        { type: "value", min: 0, max: 1, axisLabel: { ...label, formatter: (v: number) => percent(v, 0) } },
      ],
      series: [
        { name: t("charts.revenue"), type: "bar", color: accent, data: rows.map((r) => Number(r.revenueMinor) / 100) },
        {
          name: t("charts.cumulativeShare"), type: "line", yAxisIndex: 1, symbolSize: 4, color: warning,
          data: rows.map((r) => r.cumulativeShare),
          markLine: {
            silent: true, symbol: "none", lineStyle: { color: "#c23030", type: "dashed" },
            label: { ...label, formatter: t("charts.eightyPercent"), position: "insideEndTop" },
            data: [{ yAxis: 0.8 }],
          },
        },
      ],
    });
  }
}

