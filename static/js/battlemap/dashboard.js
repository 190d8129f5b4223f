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
  if (data.regions && data.regions.length) {
    K.ranking(document.getElementById("chart-regions"), data.regions, L, { limit: 25 });
  }
  // Above county level the data holds the best and the worst RANK_SIZE groups (each with its rank):
  // the buttons switch between the two ends.
  function drawRanking(name, end) {
    var rows = data[name], total = data[name + "_total"];
    if (total > rows.length) {
      var half = rows.length / 2;
      rows = end === "worst" ? rows.slice(half) : rows.slice(0, half);
    }
    K.ranking(document.getElementById("chart-" + name), rows, L, { limit: 25 });
  }
  drawRanking("units", "best");
  drawRanking("townships", "best");
  document.querySelectorAll("[data-ranking]").forEach(function (button) {
    button.addEventListener("click", function () {
      document.querySelectorAll('[data-ranking="' + button.dataset.ranking + '"]').forEach(function (b) {
        b.classList.toggle("active", b === button);
      });
      drawRanking(button.dataset.ranking, button.dataset.end);
    });
  });
})();
