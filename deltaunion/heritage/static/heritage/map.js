/* The heritage map: venues clustered by zoom, a card on click, a route drawn in order with
   numbered stops. Everything it loads comes from this site: Leaflet and the clustering plugin
   (npm, served by WhiteNoise), the venues (/api/heritage/venues) and, when no tile server is
   configured, the schematic outlines of the four provinces and their cities. The page's
   configuration is the JSON in #heritage-config; every word shown is translated by the server. */
(function () {
  "use strict";

  var YRD = [[27.0, 114.8], [35.2, 122.9]];

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  function fill(template, value) {
    return String(template).replace("%s", value);
  }

  function escapeHtml(value) {
    var d = document.createElement("div");
    d.textContent = value;
    return d.innerHTML;
  }

  function card(p, S) {
    var box = document.createElement("div");
    box.className = "hm-card";
    var title = text("a", p.name, "hm-card-title");
    title.href = p.url;
    box.appendChild(title);
    box.appendChild(text("div", p.kind_label + " · " + p.theme_label, "hm-card-meta"));
    var place = [p.province_name, p.province === "310000" ? "" : p.city_name, p.county_name].join("");
    box.appendChild(text("div", place));
    if (p.address) box.appendChild(text("div", p.address));
    box.appendChild(text("div", fill(S.open_days, p.open_days_label || S.unknown)));
    if (p.opening_hours) box.appendChild(text("div", fill(S.hours, p.opening_hours)));
    box.appendChild(text("div", fill(S.groups, p.groups_this_year || 0)));
    if (p.coordinates_approximate) box.appendChild(text("div", S.approximate, "hm-card-note"));
    var more = text("a", S.details, "hm-card-more");
    more.href = p.url;
    box.appendChild(more);
    return box;
  }

  function drawBasemap(map, data) {
    var provinces = { type: "FeatureCollection", features: [] };
    var cities = { type: "FeatureCollection", features: [] };
    data.features.forEach(function (f) {
      (f.properties.level === "province" ? provinces : cities).features.push(f);
    });
    L.geoJSON(provinces, {
      pane: "hm-base",
      interactive: false,
      style: { color: "#b71c1c", weight: 1.6, fillColor: "#fffaf3", fillOpacity: 1 },
    }).addTo(map);
    L.geoJSON(cities, {
      pane: "hm-base",
      interactive: false,
      style: { color: "#c8a8a4", weight: 0.8, fill: false },
    }).addTo(map);
    var provinceLabels = L.layerGroup();
    var cityLabels = L.layerGroup();
    data.features.forEach(function (f) {
      var at = f.properties.label_at;
      if (!at) return;
      var province = f.properties.level === "province";
      L.marker([at[1], at[0]], {
        pane: "hm-labels",
        interactive: false,
        keyboard: false,
        icon: L.divIcon({
          className: "hm-label " + (province ? "hm-label-province" : "hm-label-city"),
          html: "<span>" + escapeHtml(f.properties.name) + "</span>",
          iconSize: null,
        }),
      }).addTo(province ? provinceLabels : cityLabels);
    });
    function labels() {
      var z = map.getZoom();
      if (z >= 8) {
        map.removeLayer(provinceLabels);
        cityLabels.addTo(map);
      } else {
        map.removeLayer(cityLabels);
        provinceLabels.addTo(map);
      }
    }
    map.on("zoomend", labels);
    labels();
  }

  function drawRoute(map, route, S) {
    var points = route.stops.map(function (s) {
      return [s.lnglat[1], s.lnglat[0]];
    });
    var line = L.polyline(points, { color: "#b71c1c", weight: 4, opacity: 0.85 }).addTo(map);
    route.stops.forEach(function (s, i) {
      var marker = L.marker(points[i], {
        zIndexOffset: 1000,
        title: s.position + ". " + s.name,
        alt: s.position + ". " + s.name,
        icon: L.divIcon({
          className: "hm-stop",
          html: "<span>" + s.position + "</span>",
          iconSize: [26, 26],
          iconAnchor: [13, 13],
        }),
      }).addTo(map);
      var label = text("a", fill(S.stop, s.position) + " · " + s.name);
      label.href = s.url;
      marker.bindPopup(label);
    });
    return line;
  }

  function start() {
    var el = document.getElementById("heritage-map");
    var cfgEl = document.getElementById("heritage-config");
    if (!el || !cfgEl || !window.L) return;
    var cfg = JSON.parse(cfgEl.textContent);
    var S = cfg.strings;
    var map = L.map(el, { minZoom: 5, maxZoom: 18, zoomSnap: 0.5 });
    map.attributionControl.setPrefix("Leaflet");
    map.createPane("hm-base").style.zIndex = 250;
    map.createPane("hm-labels").style.zIndex = 350;
    map.getPane("hm-labels").style.pointerEvents = "none";
    map.fitBounds(YRD);

    if (cfg.tiles.url) {
      var options = { attribution: escapeHtml(cfg.tiles.attribution || ""), maxZoom: 18 };
      if (cfg.tiles.subdomains) options.subdomains = cfg.tiles.subdomains;
      L.tileLayer(cfg.tiles.url, options).addTo(map);
    } else {
      el.classList.add("hm-schematic");
      var Badge = L.Control.extend({
        options: { position: "topright" },
        onAdd: function () {
          return text("div", S.schematic, "hm-badge");
        },
      });
      new Badge().addTo(map);
      map.attributionControl.addAttribution(escapeHtml(S.basemap));
      fetch(cfg.basemapUrl)
        .then(function (r) {
          return r.json();
        })
        .then(function (data) {
          drawBasemap(map, data);
          el.dataset.basemap = "drawn";
        });
    }

    var routeLine = cfg.route ? drawRoute(map, cfg.route, S) : null;
    if (routeLine) {
      map.fitBounds(routeLine.getBounds().pad(0.25), { animate: false });
      el.dataset.routeStops = String(cfg.route.stops.length);
    }

    if (!cfg.venuesUrl) {
      el.dataset.loaded = "true";
      return;
    }
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45, spiderfyOnMaxZoom: true });
    var markers = {};
    fetch(cfg.venuesUrl, { headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json();
      })
      .then(function (data) {
        data.features.forEach(function (f) {
          var c = f.geometry.coordinates;
          var p = f.properties;
          var marker = L.marker([c[1], c[0]], {
            title: p.name,
            alt: p.name,
            icon: L.divIcon({
              className: "hm-pin" + (p.coordinates_approximate ? " hm-pin-approx" : ""),
              iconSize: [16, 16],
              iconAnchor: [8, 8],
            }),
          });
          marker.bindPopup(card(p, S), { maxWidth: 280 });
          markers[p.id] = marker;
          cluster.addLayer(marker);
        });
        // Frame the pins before they go on the map, without animation: a zoom under way when the
        // cluster is added re-clusters the pins as it ends, and a card opened meanwhile closes.
        if (!routeLine && data.features.length) {
          map.fitBounds(cluster.getBounds().pad(0.15), { maxZoom: 10, animate: false });
        }
        map.addLayer(cluster);
        el.dataset.markers = String(data.features.length);
        var focus = cfg.focus && markers[cfg.focus];
        if (focus) {
          cluster.zoomToShowLayer(focus, function () {
            focus.openPopup();
          });
        }
        el.dataset.loaded = "true";
      });
  }

  function autoSubmit() {
    var form = document.getElementById("heritage-filters");
    if (!form) return;
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () {
        form.submit();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    autoSubmit();
    start();
  });
})();
