/* The dashboard: draws every chart from the page's data island (the /api/v1/dashboard JSON). */
(function () {
  "use strict";
  var K = window.KPCharts;
  var data = K.readJSON("battlemap-data");
  var L = K.readJSON("battlemap-labels");
  K.autosubmit();
  if (!data) { return; }
  var ledger = data.headline.url.split("?")[0];
  K.sectors(document.getElementById("chart-sectors"), data.sectors, L);
  K.curve(document.getElementById("chart-curve"), data.curve, L, {
    urlForMonth: function (m) { return m <= data.month ? ledger + "?year=" + data.year + "&month=" + m : null; }
  });
  // Every ranked group is drawn, down to the last one: the chart grows with the ranking instead of
  // cutting it. Above county level the data holds the best and the worst RANK_SIZE groups (each
  // with its rank), drawn together. Groups listed apart (rank null) are named under the chart.
  function drawRanking(name) {
    var el = document.getElementById("chart-" + name);
    var rows = data[name].filter(function (r) { return r.rank !== null && r.rank !== undefined; });
    el.style.height = Math.max(320, rows.length * 24 + 60) + "px";
    K.ranking(el, rows, L, { limit: rows.length });
  }
  if (data.regions && data.regions.length) { drawRanking("regions"); }
  drawRanking("units");
  drawRanking("townships");
})();
