/* The wall chart: its curve, the print button. Printing draws the chart without animation. */
(function () {
  "use strict";
  var K = window.KPCharts;
  K.autosubmit();
  var el = document.getElementById("chart-wall-curve");
  var data = K.readJSON("battlemap-curve");
  var L = K.readJSON("battlemap-labels");
  var chart = el && data ? K.curve(el, data, L, { animation: false }) : null;
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  window.addEventListener("beforeprint", function () { if (chart) { chart.resize(); } });
})();
