/* Big screen: dark charts in large type, refetched from /api/v1/dashboard every few minutes. */
(function () {
  "use strict";
  var K = window.KPCharts;
  var root = document.getElementById("bm-screen");
  var L = K.readJSON("battlemap-labels");
  var big = { theme: "dark", dark: true, fontSize: 18, limit: 12 };
  var rankingOpts = { theme: "dark", dark: true, fontSize: 16, limit: 12, compact: true };
  // A ranking longer than the panel is paged, PAGE_SECONDS a page, with its last BOTTOM places
  // shown on every page: the laggards never scroll out of sight.
  var PAGE_SECONDS = 12, BOTTOM = 3;
  var pageNo = 0, last = null;

  function money(value) {
    return Number(value).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function stats(h) {
    var shown = {
      projects: h.projects, not_started: h.not_started, planned_investment: money(h.planned_investment),
      ytd_investment: money(h.ytd_investment), blockers_open: h.blockers_open, blockers_overdue: h.blockers_overdue,
      tasks_overdue: h.tasks_overdue, as_of_label: h.as_of_label,
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

  // The rows of page `pageNo` of a ranking: a slice of the upper places, then the last BOTTOM.
  function page(ranked) {
    var size = rankingOpts.limit;
    if (ranked.length <= size) { return { rows: ranked, pages: 1 }; }
    var upper = ranked.slice(0, ranked.length - BOTTOM), per = size - BOTTOM;
    var pages = Math.ceil(upper.length / per), at = pageNo % pages;
    return { rows: upper.slice(at * per, (at + 1) * per).concat(ranked.slice(-BOTTOM)), pages: pages, at: at };
  }

  function rankings() {
    ["units", "townships"].forEach(function (name) {
      var rows = last[name] || [];
      var ranked = rows.filter(function (r) { return r.rank !== null && r.rank !== undefined; });
      var apart = rows.filter(function (r) { return r.rank === null || r.rank === undefined; });
      var shown = page(ranked);
      var chart = K.ranking(document.getElementById("screen-" + name), shown.rows, L, rankingOpts);
      chart.getDom().dataset.shown = shown.rows.map(function (r) { return r.rank; }).join(",");
      var counter = root.querySelector('[data-page="' + name + '"]');
      counter.textContent = shown.pages > 1 && L.page ?
        L.page.replace("%(page)s", shown.at + 1).replace("%(pages)s", shown.pages) : "";
      var box = root.querySelector('[data-apart="' + name + '"]');
      box.textContent = "";
      if (apart.length) {
        var label = document.createElement("span");
        label.className = "bm-apart-label";
        label.textContent = L.not_ranked;
        box.appendChild(label);
        apart.forEach(function (r) {
          var item = document.createElement("span");
          item.className = "bm-apart-item";
          item.textContent = r.label;
          box.appendChild(document.createTextNode(" "));
          box.appendChild(item);
        });
      }
    });
  }

  function draw(data) {
    stats(data.headline);
    period(data);
    K.sectors(document.getElementById("screen-sectors"), data.sectors, L, big);
    K.lights(document.getElementById("screen-lights"), data.headline, L, big);
    K.curve(document.getElementById("screen-curve"), data.curve, L, big);
    last = data;
    rankings();
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
  window.setInterval(function () { pageNo += 1; rankings(); }, PAGE_SECONDS * 1000);
  window.addEventListener("bm-refresh", refresh);  // lets an operator (or a test) refresh at once
  document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { document.documentElement.requestFullscreen(); }
    });
  });
})();
