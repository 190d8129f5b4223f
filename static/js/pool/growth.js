/* The pool's growth by quarter (ECharts): bars for candidates entering each quarter, lines for the
   pool's size and estimated investment at the quarter's end. Data from the page's json_script island. */
(function () {
  "use strict";
  var island = document.getElementById("pool-growth-data");
  var el = document.getElementById("pool-growth-chart");
  if (!island || !el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(island.textContent);
  var chart = echarts.init(el, null, { renderer: "canvas" });
  window.addEventListener("resize", function () { chart.resize(); });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 50, right: 70, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.labels },
    yAxis: [{ type: "value", minInterval: 1 }, { type: "value", position: "right" }],
    series: [
      { name: data.names.count, type: "bar", data: data.count, itemStyle: { color: "#5b8ff9" } },
      { name: data.names.cumulative_count, type: "line", data: data.cumulative_count, itemStyle: { color: "#2e9d5b" } },
      { name: data.names.cumulative_investment, type: "line", yAxisIndex: 1, data: data.cumulative_investment.map(Number), itemStyle: { color: "#f6903d" } }
    ]
  });
})();
