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
    var chart = echarts.getInstanceByDom(el);
    if (chart) { return chart; }  // redrawn (a refresh, the next page of a ranking): one resize listener
    chart = echarts.init(el, theme || null, { renderer: "canvas" });
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
      grid: { left: 12, right: 20, top: (opts.fontSize || 12) * 2 + 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0, color: textColour(opts.dark), fontSize: names.length > 6 ? Math.max(12, (opts.fontSize || 12) - 4) : opts.fontSize || 12 } },
      yAxis: { type: "value", name: L.wan, nameTextStyle: { color: textColour(opts.dark), fontSize: Math.max(12, (opts.fontSize || 12) - 4) }, axisLabel: { color: textColour(opts.dark), fontSize: Math.max(12, (opts.fontSize || 12) - 4) } },
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
      grid: { left: 12, right: (opts.fontSize || 12) * 3, top: (opts.fontSize || 12) * 3, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months.map(function (m) { return m + ""; }), name: L.month, nameGap: 8, nameTextStyle: { color: textColour(opts.dark), fontSize: opts.fontSize || 12 }, axisLabel: { color: textColour(opts.dark), fontSize: opts.fontSize || 12 } },
      yAxis: { type: "value", max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); }, axisLabel: { formatter: "{value}%", color: textColour(opts.dark), fontSize: Math.max(12, (opts.fontSize || 12) - 4) } },
      series: [
        { name: L.schedule, type: "line", data: data.schedule_target, lineStyle: { type: "dashed" }, itemStyle: { color: COLOURS.due } },
        { name: L.actual, type: "line", data: data.actual_rate, itemStyle: { color: COLOURS.done }, areaStyle: { opacity: 0.15 }, symbolSize: 8 }
      ]
    }, true);
    drill(chart, function (p) { return opts.urlForMonth ? opts.urlForMonth(p.dataIndex + 1) : null; });
    return chart;
  }

  function pctText(v, places) { return v === null || v === undefined ? "—" : Number(v).toFixed(places) + "%"; }

  // Horizontal ranking bars. Long unit names are cut to a fixed width (the tooltip gives the full
  // name) so that the bars keep their room; every row keeps its label; the schedule line's label
  // sits in the top padding, not outside the canvas.
  function ranking(el, rows, L, opts) {
    opts = opts || {};
    var chart = init(el, opts.theme);
    var shown = rows.slice(0, opts.limit || 20).reverse();
    var fontSize = opts.fontSize || 12;
    var labelWidth = opts.labelWidth || Math.max(110, Math.round(el.clientWidth * 0.3));
    var target = shown.length ? shown[0].schedule_target : null;
    chart.setOption({
      backgroundColor: "transparent",
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" }, confine: true,
        formatter: function (items) {
          var row = shown[items[0].dataIndex];
          var gap = row.gap_points === null || row.gap_points === undefined ? "" :
            "<br>" + L.schedule + " " + pctText(row.schedule_target, 2) + " · " + signed(row.gap_points) + " " + L.points;
          return echarts.format.encodeHTML(row.rank + ". " + row.label) + "<br>" + items[0].marker + L.rate + " " +
            pctText(row.completion_rate, 2) + gap;
        }
      },
      grid: { left: 8, right: fontSize * 4, top: fontSize * 2 + 8, bottom: opts.compact ? 0 : 8, containLabel: true },
      xAxis: {
        type: "value", max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); }, splitNumber: opts.compact ? 2 : 5,
        axisLabel: { show: !opts.compact, formatter: "{value}%", color: textColour(opts.dark), fontSize: Math.max(11, fontSize - 2) }
      },
      yAxis: {
        type: "category", data: shown.map(function (r) { return r.rank + ". " + r.label; }),
        axisTick: { show: false },
        axisLabel: { interval: 0, width: labelWidth, overflow: "truncate", ellipsis: "…", color: textColour(opts.dark), fontSize: fontSize }
      },
      series: [{
        name: L.rate, type: "bar", barMaxWidth: 28, barCategoryGap: "30%",
        data: shown.map(function (r) {
          var colour = r.gap_points === null ? "#9aa5b4" : (r.gap_points >= 0 ? COLOURS.green : (r.gap_points >= -10 ? COLOURS.yellow : COLOURS.red));
          return { value: r.completion_rate, itemStyle: { color: colour } };
        }),
        label: { show: true, position: "right", color: textColour(opts.dark), fontSize: Math.max(11, fontSize - 2), formatter: function (p) { return pctText(p.value, 1); } },
        markLine: target === null || target === undefined ? undefined : {
          symbol: "none", silent: true, lineStyle: { color: COLOURS.due, type: "dashed" },
          label: { position: "end", distance: 4, color: COLOURS.due, fontSize: Math.max(11, fontSize - 2), formatter: L.schedule + " " + pctText(target, 2) },
          data: [{ xAxis: target }]
        }
      }]
    }, true);
    drillBand(chart, shown, 1);
    return chart;
  }

  function signed(v) {
    if (v === null || v === undefined) { return "—"; }
    var n = Number(v);
    if (Math.abs(n) < 0.005) { return "0.00"; }
    return (n > 0 ? "+" : "\u2212") + Math.abs(n).toFixed(2);
  }

  function lights(el, headline, L, opts) {
    opts = opts || {};
    var chart = init(el, opts.theme);
    var keys = ["red", "yellow", "green"];  // reports.lights.COLOURS: the one order of the lights
    chart.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "item" },
      // The counts sit inside the ring and the legend names each colour with its count, so nothing
      // has to fit beside the ring on a narrow panel.
      legend: {
        bottom: 0, textStyle: { color: textColour(opts.dark), fontSize: opts.fontSize || 12 },
        formatter: function (name) { var i = keys.map(function (k) { return L[k]; }).indexOf(name); return i < 0 ? name : name + " " + headline.lights[keys[i]]; }
      },
      series: [{
        name: L.lights, type: "pie", radius: ["42%", "75%"], center: ["50%", "45%"],
        label: { position: "inside", color: "#fff", fontWeight: "bold", fontSize: opts.fontSize || 12, formatter: "{c}" },
        labelLine: { show: false },
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

  window.KPCharts = { readJSON: readJSON, signed: signed, pctText: pctText, sectors: sectors, curve: curve, ranking: ranking, lights: lights, autosubmit: autosubmit, COLOURS: COLOURS };
})();
