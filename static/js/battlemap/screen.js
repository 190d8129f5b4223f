/* Big screen: dark charts in large type, refetched from /api/v1/dashboard every few minutes. */
(function () {
  "use strict";
  var K = window.KPCharts;
  var root = document.getElementById("bm-screen");
  var L = K.readJSON("battlemap-labels");
  var big = { theme: "dark", dark: true, fontSize: 18, limit: 12 };
  var rankingOpts = { theme: "dark", dark: true, fontSize: 16, limit: 12, compact: true };

  function money(value) {
    return Number(value).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function stats(h) {
    var shown = {
      projects: h.projects, not_started: h.not_started, planned_investment: money(h.planned_investment),
      ytd_investment: money(h.ytd_investment), blockers_open: h.blockers_open, blockers_overdue: h.blockers_overdue,
      completion_rate: K.pctText(h.completion_rate, 2),
      gap_points: K.signed(h.gap_points)
    };
    Object.keys(shown).forEach(function (key) {
      var el = root.querySelector('[data-stat="' + key + '"]');
      if (el) { el.textContent = shown[key]; }
    });
    var gap = root.querySelector('[data-stat="gap_points"]');
    gap.classList.toggle("good", h.gap_points !== null && h.gap_points >= 0);
    gap.classList.toggle("bad", h.gap_points !== null && h.gap_points < 0);
  }

  function period(data) {
    var el = document.getElementById("bm-period");
    if (el && L.period && data.year) {
      el.textContent = L.period.replace("%(year)s", data.year).replace("%(month)s", data.month);
    }
  }

  function draw(data) {
    stats(data.headline);
    period(data);
    K.sectors(document.getElementById("screen-sectors"), data.sectors, L, big);
    K.lights(document.getElementById("screen-lights"), data.headline, L, big);
    K.curve(document.getElementById("screen-curve"), data.curve, L, big);
    K.ranking(document.getElementById("screen-units"), data.units, L, rankingOpts);
    K.ranking(document.getElementById("screen-townships"), data.townships, L, rankingOpts);
    document.getElementById("bm-updated").textContent = new Date().toLocaleTimeString("zh-CN", { hour12: false });
  }

  function refresh() {
    var url = root.dataset.api;
    if (root.dataset.year) { url += "?year=" + root.dataset.year + "&month=" + root.dataset.month; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 401) { window.location.reload(); }
        return r.ok ? r.json() : null;
      })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () { /* the room keeps the last figures until the network is back */ });
  }

  draw(K.readJSON("battlemap-data"));
  window.setInterval(refresh, (Number(root.dataset.refreshSeconds) || 300) * 1000);
  window.addEventListener("bm-refresh", refresh);  // lets an operator (or a test) refresh at once
  document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen(); }
    });
  });
})();
