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
  K.ranking(document.getElementById("chart-units"), data.units, L, { limit: 25 });
  K.ranking(document.getElementById("chart-townships"), data.townships, L, { limit: 25 });
})();
