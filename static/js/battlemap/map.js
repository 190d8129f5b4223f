/* The project map: the region's outline and township seats (no key needed), 天地图 or another tile
   service under them when one is configured, and the projects on top coloured by their light. */
(function () {
  "use strict";
  var K = window.KPCharts;
  K.autosubmit();
  var el = document.getElementById("bm-map");
  var L10n = K.readJSON("battlemap-labels");
  var map = L.map(el, { preferCanvas: false, attributionControl: true, zoomSnap: 0.25 }).setView([28.45, 108.99], 10);
  // The corner names the data sources only, not the software drawing them.
  map.attributionControl.setPrefix(false);
  map.createPane("bm-outline").style.zIndex = 350;
  map.createPane("bm-towns").style.zIndex = 450;
  map.createPane("bm-projects").style.zIndex = 620;
  // Township names above the project dots (they are text with a halo, and take no clicks).
  var names = map.createPane("bm-names");
  names.style.zIndex = 640;
  names.style.pointerEvents = "none";

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

  function addTiles(tiles) {
    L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 18 }).addTo(map);
    // 天地图's vector map carries no place names: its annotation layer (cva) goes on top of it.
    if (/tianditu\.gov\.cn\/vec_([wc])\/wmts/.test(tiles.url)) {
      var labels = tiles.url.replace(/vec_([wc])\/wmts/, "cva_$1/wmts").replace("LAYER=vec", "LAYER=cva");
      L.tileLayer(labels, { maxZoom: 18 }).addTo(map);
    }
  }

  function addBoundary(boundary, tiled) {
    var areas = { type: "FeatureCollection", features: boundary.features.filter(function (f) { return f.geometry.type !== "Point" && f.geometry.type !== "MultiPoint"; }) };
    var towns = { type: "FeatureCollection", features: boundary.features.filter(function (f) { return f.geometry.type === "Point"; }) };
    var outline = L.geoJSON(areas, {
      pane: "bm-outline",
      attribution: boundary.source || "",
      style: function (f) {
        var inner = f.properties && f.properties.kind === "county";
        return { color: "#1f3a5f", weight: inner ? 1 : 2.5, fillColor: "#dfe8f3", fillOpacity: tiled ? 0.05 : 0.85 };
      },
      onEachFeature: function (f, layer) {
        if (f.properties && f.properties.kind === "county" && f.properties.name) {
          layer.bindTooltip(f.properties.name, { permanent: true, direction: "center", className: "bm-town-label", pane: "bm-names" });
        }
      }
    }).addTo(map);
    L.geoJSON(towns, {
      pane: "bm-towns",
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { pane: "bm-towns", radius: 3, weight: 1, color: "#51607a", fillColor: "#fff", fillOpacity: 1, interactive: false });
      },
      onEachFeature: function (f, layer) {
        if (f.properties && f.properties.name) {
          layer.bindTooltip(f.properties.name, { permanent: true, direction: "right", offset: [4, 0], className: "bm-town-label", pane: "bm-names" });
        }
      }
    }).addTo(map);
    el.dataset.outline = areas.features.length;
    el.dataset.towns = towns.features.length;
    return areas.features.length ? outline.getBounds() : null;
  }

  fetch(el.dataset.api, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var bounds = null;
      if (data.tiles.url) { addTiles(data.tiles); }
      if (data.boundary) { bounds = addBoundary(data.boundary, !!data.tiles.url); }
      var points = L.geoJSON(data.projects, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { pane: "bm-projects", radius: 6, weight: 1.5, color: "#fff", fillOpacity: 0.95, fillColor: K.COLOURS[feature.properties.light] || "#666" });
        },
        onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature.properties)); }
      }).addTo(map);
      if (!bounds && data.projects.features.length) { bounds = points.getBounds(); }
      if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [16, 16] }); }
      el.dataset.projects = data.projects.features.length;
      document.getElementById("bm-map-count").textContent = data.projects.features.length + " " + L10n.on_map;
      el.classList.add("bm-map-ready");
    });
})();
