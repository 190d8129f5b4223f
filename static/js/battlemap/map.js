/* The project map: Leaflet with the configured tiles, or the uploaded boundary alone when none. */
(function () {
  "use strict";
  var K = window.KPCharts;
  K.autosubmit();
  var el = document.getElementById("bm-map");
  var L10n = K.readJSON("battlemap-labels");
  var map = L.map(el, { preferCanvas: true, attributionControl: true }).setView([29.5, 106.5], 7);

  function popup(p) {
    var div = document.createElement("div");
    var a = document.createElement("a");
    a.href = p.url;
    a.textContent = p.name;
    var info = document.createElement("div");
    info.className = "small";
    info.textContent = p.code + " · " + p.unit + " · " + (p.completion_rate === null ? "—" : p.completion_rate.toFixed(2) + "%") + " · " + p.reason;
    div.appendChild(a);
    div.appendChild(info);
    return div;
  }

  fetch(el.dataset.api, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var bounds = null;
      if (data.tiles.url) {
        L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 18 }).addTo(map);
      }
      if (data.boundary) {
        var outline = L.geoJSON(data.boundary, { style: { color: "#1f3a5f", weight: 2, fillColor: "#cfdcec", fillOpacity: data.tiles.url ? 0.05 : 0.5 } }).addTo(map);
        bounds = outline.getBounds();
      }
      var points = L.geoJSON(data.projects, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 7, weight: 1.5, color: "#fff", fillOpacity: 0.95, fillColor: K.COLOURS[feature.properties.light] || "#666" });
        },
        onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature.properties)); }
      }).addTo(map);
      if (data.projects.features.length) {
        bounds = bounds ? bounds.extend(points.getBounds()) : points.getBounds();
      }
      if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20] }); }
      document.getElementById("bm-map-count").textContent = data.projects.features.length + " " + L10n.on_map;
    });
})();
