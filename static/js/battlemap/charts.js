/* Battle map charts (ECharts). Every chart takes the JSON of an /api/v1/ endpoint and the translated
   labels from the page's json_script island; a click on a bar or point opens the ledger behind it. */
(function () {
  "use strict";
  var COLOURS = { green: "#2e9d5b", yellow: "#e0a100", red: "#d03a2f", plan: "#5b8ff9", done: "#2e9d5b", due: "#f6903d" };

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function num(value) { return value === null || value === undefined ? null : Number(value); }

  function init(el, theme) {
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, theme || null, { renderer: "canvas" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function drill(chart, urls) {
    chart.off("click");
    chart.on("click", function (params) {
      var url = urls(params);
      if (url) { window.location.href = url; }
    });
  }

  // Category charts: a click anywhere in a category's band (not only on a bar) opens its ledger.
  function drillBand(chart, rows, axis) {
    chart.off("click");
    chart.getZr().off("click");
    chart.getZr().on("click", function (event) {
      var point = [event.offsetX, event.offsetY];
      if (!chart.containPixel("grid", point)) { return; }
      var index = chart.convertFromPixel({ seriesIndex: 0 }, point)[axis];
      var row = rows[Math.round(index)];
      if (row && row.url) { window.location.href = row.url; }
    });
  }

  function textColour(dark) { return dark ? "#e6eefb" : "#34495e"; }

  function sectors(el, rows, L, opts) {
    opts = opts || {};
    var chart = init(el, opts.theme);
    var names = rows.map(function (r) { return r.label; });
    chart.setOption({
      backgroundColor: "transparent",
      textStyle: { fontSize: opts.fontSize || 12 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, right: 0, textStyle: { color: textColour(opts.dark), fontSize: opts.fontSize || 12 } },
      grid: { left: 60, right: 20, top: 56, bottom: 50, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0, color: textColour(opts.dark), fontSize: opts.fontSize || 12 } },
      yAxis: { type: "value", name: L.wan, axisLabel: { color: textColour(opts.dark) } },
      series: [
        { name: L.planned, type: "bar", barMaxWidth: 48, data: rows.map(function (r) { return num(r.planned_investment); }), itemStyle: { color: COLOURS.plan } },
        { name: L.scheduled, type: "bar", data: rows.map(function (r) { return num(r.scheduled_investment); }), itemStyle: { color: COLOURS.due } },
        { name: L.ytd, type: "bar", data: rows.map(function (r) { return num(r.ytd_investment); }), itemStyle: { color: COLOURS.done } }
      ]
    }, true);
    drillBand(chart, rows, 0);
    return chart;
  }

  function curve(el, data, L, opts) {
    opts = opts || {};
    var chart = init(el, opts.theme);
    chart.setOption({
      animation: opts.animation !== false,
      backgroundColor: "transparent",
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v.toFixed(2) + "%"; } },
      legend: { top: 0, textStyle: { color: textColour(opts.dark), fontSize: opts.fontSize || 12 } },
      grid: { left: 50, right: 20, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: "category", data: data.months.map(function (m) { return m + ""; }), name: L.month, axisLabel: { color: textColour(opts.dark), fontSize: opts.fontSize || 12 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%", color: textColour(opts.dark) } },
      series: [
        { name: L.schedule, type: "line", data: data.schedule_target, lineStyle: { type: "dashed" }, itemStyle: { color: COLOURS.due } },
        { name: L.actual, type: "line", data: data.actual_rate, itemStyle: { color: COLOURS.done }, areaStyle: { opacity: 0.15 }, symbolSize: 8 }
      ]
    }, true);
    drill(chart, function (p) { return opts.urlForMonth ? opts.urlForMonth(p.dataIndex + 1) : null; });
    return chart;
  }

  function ranking(el, rows, L, opts) {
    opts = opts || {};
    var chart = init(el, opts.theme);
    var shown = rows.slice(0, opts.limit || 20).reverse();
    chart.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return v === null || v === undefined ? "—" : v.toFixed(2) + "%"; } },
      grid: { left: 10, right: 40, top: 10, bottom: 20, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%", color: textColour(opts.dark) } },
      yAxis: { type: "category", data: shown.map(function (r) { return r.rank + ". " + r.label; }), axisLabel: { color: textColour(opts.dark), fontSize: opts.fontSize || 12 } },
      series: [{
        name: L.rate, type: "bar", barMaxWidth: 28,
        data: shown.map(function (r) {
          var colour = r.gap_points === null ? "#9aa5b4" : (r.gap_points >= 0 ? COLOURS.green : (r.gap_points >= -10 ? COLOURS.yellow : COLOURS.red));
          return { value: r.completion_rate, itemStyle: { color: colour } };
        }),
        label: { show: true, position: "right", color: textColour(opts.dark), formatter: function (p) { return p.value === null || p.value === undefined ? "—" : p.value.toFixed(1) + "%"; } },
        markLine: shown.length ? { symbol: "none", silent: true, lineStyle: { color: COLOURS.due, type: "dashed" }, label: { formatter: L.schedule, color: textColour(opts.dark) }, data: [{ xAxis: shown[0].schedule_target }] } : undefined
      }]
    }, true);
    drillBand(chart, shown, 1);
    return chart;
  }

  function lights(el, headline, L, opts) {
    opts = opts || {};
    var chart = init(el, opts.theme);
    var keys = ["green", "yellow", "red"];
    chart.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "item" },
      legend: { bottom: 0, textStyle: { color: textColour(opts.dark), fontSize: opts.fontSize || 12 } },
      series: [{
        name: L.lights, type: "pie", radius: ["45%", "72%"], label: { color: textColour(opts.dark), fontSize: opts.fontSize || 12, formatter: "{b}: {c}" },
        data: keys.map(function (k) { return { name: L[k], value: headline.lights[k], itemStyle: { color: COLOURS[k] } }; })
      }]
    }, true);
    drill(chart, function (p) { return headline.light_urls[keys[p.dataIndex]]; });
    return chart;
  }

  function autosubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  window.KPCharts = { readJSON: readJSON, sectors: sectors, curve: curve, ranking: ranking, lights: lights, autosubmit: autosubmit, COLOURS: COLOURS };
})();
