// Двор's thin layer over Leaflet and Supercluster, loaded with them when a screen first shows
// a map, so the first load of the app carries none of it. The wasm calls `window.dvorMap`;
// data cross as JSON text, events come back through the callbacks given.
'use strict';

(function () {
  const L = window.L;

  // The city at a glance, when a map has nothing better to show.
  const KEMEROVO = [[55.25, 85.9], [55.5, 86.3]];

  const escapeText = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  // One icon per site kind, made once: the colour comes from the stylesheet's `pin-<kind>`.
  const icons = new Map();
  function pinIcon(kind) {
    if (!icons.has(kind)) {
      icons.set(kind, L.divIcon({ className: `pin pin-${kind}`, iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8] }));
    }
    return icons.get(kind);
  }

  function clusterIcon(count) {
    const size = count < 10 ? 'small' : count < 100 ? 'medium' : 'large';
    return L.divIcon({ html: `<span>${count}</span>`, className: `cluster cluster-${size}`, iconSize: [36, 36] });
  }

  // The base layer of `settings`; `onTiles(loaded, failed)` hears how each round of tiles went,
  // so the page can say when the street map is missing (no network, nothing kept).
  function baseLayer(map, settings, onTiles) {
    const crossOrigin = /^https?:\/\//.test(settings.tiles) ? 'anonymous' : undefined;
    const layer = L.tileLayer(settings.tiles, {
      maxNativeZoom: settings.max_zoom,
      maxZoom: 19,
      crossOrigin,
      attribution: escapeText(settings.attribution),
    });
    let loaded = 0;
    let failed = 0;
    layer.on('loading', () => { loaded = 0; failed = 0; });
    layer.on('tileload', () => { loaded += 1; });
    layer.on('tileerror', () => { failed += 1; });
    layer.on('load', () => onTiles(loaded, failed));
    return layer.addTo(map);
  }

  // `labels` are the words of the map's own controls, in the person's language:
  // `{ zoom_in, zoom_out, close, pin }`.
  function newMap(element, settings, labels, onTiles) {
    // A city's map: no need to see the world, and every zoom level less is one level of
    // clusters fewer to compute.
    const map = L.map(element, { minZoom: 9, maxZoom: 19, zoomSnap: 1, zoomControl: false });
    L.control.zoom({ zoomInTitle: labels.zoom_in, zoomOutTitle: labels.zoom_out }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    // Leaflet names a popup's close button in English only.
    map.on('popupopen', (event) => {
      const close = event.popup.getElement()?.querySelector('.leaflet-popup-close-button');
      if (close) close.setAttribute('aria-label', labels.close);
    });
    baseLayer(map, JSON.parse(settings), onTiles);
    return map;
  }

  function setView(map, view) {
    if (view) map.setView([view.lat, view.lng], view.zoom);
    else map.fitBounds(KEMEROVO);
  }

  // Clusters are computed by Supercluster (a k-d tree per zoom, built once per set of sites)
  // and drawn for the view only, so thousands of sites cost little. Sites at one spot stay a
  // cluster at every zoom and spread around it (with legs) when it is tapped.
  const CLUSTER_RADIUS = 48;
  const SPIDER_LEG = 34;

  // The map of sites. `view` is `{lat, lng, zoom}` or null; `onMove(lat, lng, zoom)` hears
  // every move, `onSite(id)` every tap on a site.
  function create(element, settings, labels, view, onMove, onSite, onTiles) {
    const map = newMap(element, settings, JSON.parse(labels), onTiles);
    setView(map, JSON.parse(view));
    const handle = { map, onSite, index: null, sites: new Map(), drawn: new Map(), spread: new Map(), spreadZoom: null, layer: L.layerGroup(), spider: L.layerGroup(), outlines: L.layerGroup(), heat: null };
    map.addLayer(handle.outlines).addLayer(handle.layer).addLayer(handle.spider);
    map.on('moveend', () => {
      draw(handle);
      const centre = map.getCenter();
      onMove(centre.lat, centre.lng, map.getZoom());
    });
    map.on('click', () => fold(handle));
    return handle;
  }

  // Where sites are drawn: `drawn` for the view's, `spread` for those spread out.
  function siteMarker(handle, site, latlng, where) {
    const marker = L.marker(latlng, { icon: pinIcon(site.kind), title: site.name, alt: site.name, keyboard: true });
    marker.on('click', () => handle.onSite(site.id));
    where.set(site.id, latlng);
    return marker;
  }

  // Folds spread sites back into their cluster.
  function fold(handle) {
    handle.spider.clearLayers();
    handle.spread.clear();
    handle.spreadZoom = null;
  }

  // Draws the clusters and sites in view. Spread sites stay through a pan (a popup's, say),
  // not through a zoom.
  function draw(handle) {
    handle.layer.clearLayers();
    handle.drawn.clear();
    if (handle.spreadZoom !== handle.map.getZoom()) fold(handle);
    if (!handle.index) return;
    const bounds = handle.map.getBounds().pad(0.2);
    const features = handle.index.getClusters([bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()], handle.map.getZoom());
    for (const feature of features) {
      const [lng, lat] = feature.geometry.coordinates;
      if (!feature.properties.cluster) {
        handle.layer.addLayer(siteMarker(handle, handle.sites.get(feature.properties.id), L.latLng(lat, lng), handle.drawn));
        continue;
      }
      const count = feature.properties.point_count;
      const marker = L.marker([lat, lng], { icon: clusterIcon(count), keyboard: true, title: String(count) });
      marker.on('click', () => openCluster(handle, feature.id, L.latLng(lat, lng)));
      handle.layer.addLayer(marker);
    }
  }

  // A tapped cluster: zoomed into until it parts, or spread around its spot if it never will.
  function openCluster(handle, id, latlng) {
    const map = handle.map;
    const zoom = handle.index.getClusterExpansionZoom(id);
    const leaves = handle.index.getLeaves(id, Infinity);
    const first = leaves[0].geometry.coordinates;
    const oneSpot = leaves.every((leaf) => leaf.geometry.coordinates[0] === first[0] && leaf.geometry.coordinates[1] === first[1]);
    if (!oneSpot && zoom <= map.getMaxZoom()) {
      map.setView(latlng, zoom);
      return;
    }
    spread(handle, leaves.map((leaf) => handle.sites.get(leaf.properties.id)), latlng);
  }

  // Spreads `sites` around `centre` on a circle (a spiral past a dozen), each with a leg.
  function spread(handle, sites, centre) {
    const map = handle.map;
    fold(handle);
    handle.spreadZoom = map.getZoom();
    const middle = map.latLngToLayerPoint(centre);
    sites.forEach((site, i) => {
      const ring = sites.length <= 12;
      const angle = ring ? (2 * Math.PI * i) / sites.length : 0.6 * i;
      const distance = ring ? SPIDER_LEG * Math.max(1, sites.length / 6) : SPIDER_LEG * (1 + i / 6);
      const at = map.layerPointToLatLng(middle.add(L.point(Math.cos(angle), Math.sin(angle)).multiplyBy(distance)));
      handle.spider.addLayer(L.polyline([centre, at], { className: 'spider-leg', interactive: false }));
      handle.spider.addLayer(siteMarker(handle, site, at, handle.spread));
    });
  }

  // Shows `sites` (JSON: [{id, name, kind, lat, lng, outline: [[lat, lng], …] | null}]);
  // `fit` moves the view to hold them all. Measures `dvor:map-sites` from being handed the
  // sites to their clusters drawn.
  function setSites(handle, sites, fit) {
    const list = JSON.parse(sites);
    const started = performance.now();
    handle.sites = new Map(list.map((site) => [site.id, site]));
    handle.index = new Supercluster({ radius: CLUSTER_RADIUS, minZoom: handle.map.getMinZoom(), maxZoom: handle.map.getMaxZoom() });
    handle.index.load(list.map((site) => ({ type: 'Feature', properties: { id: site.id }, geometry: { type: 'Point', coordinates: [site.lng, site.lat] } })));
    handle.outlines.clearLayers();
    for (const site of list) {
      if (site.outline) L.polygon(site.outline, { className: `outline outline-${site.kind}`, interactive: false }).addTo(handle.outlines);
    }
    if (fit && list.length > 0) handle.map.fitBounds(L.latLngBounds(list.map((s) => [s.lat, s.lng])), { maxZoom: 16, padding: [24, 24], animate: false });
    draw(handle);
    performance.measure('dvor:map-sites', { start: started, end: performance.now(), detail: { sites: list.length } });
    handle.map.getContainer().dataset.sites = String(list.length);
  }

  // Opens a popup with `element` over site `id`, where it is drawn (spread out, maybe).
  function openPopup(handle, id, element) {
    const site = handle.sites.get(id);
    if (!site) return;
    const at = handle.spread.get(id) || handle.drawn.get(id) || L.latLng(site.lat, site.lng);
    L.popup({ maxWidth: 280, minWidth: 200, offset: [0, -6], autoPanPadding: [16, 16] }).setLatLng(at).setContent(element).openOn(handle.map);
  }

  // Draws the density of work (JSON: [[lat, lng, weight], …]), or takes it away (null).
  function setHeat(handle, points) {
    if (handle.heat) handle.map.removeLayer(handle.heat);
    handle.heat = null;
    const list = JSON.parse(points);
    if (!list) return;
    const max = list.reduce((m, p) => Math.max(m, p[2]), 1);
    handle.heat = L.heatLayer(list, { radius: 28, blur: 20, max, minOpacity: 0.3 }).addTo(handle.map);
  }

  // The location picker: a pin to drag or to drop with a tap, and the accuracy of a GPS fix.
  // `onPick(lat, lng)` hears every point the person chooses on the map.
  function createPicker(element, settings, labels, point, onPick, onTiles) {
    const words = JSON.parse(labels);
    const map = newMap(element, settings, words, onTiles);
    const handle = { map, pin: null, circle: null, label: words.pin };
    const pick = (latlng) => {
      placePin(handle, latlng.lat, latlng.lng, -1, false);
      onPick(latlng.lat, latlng.lng);
    };
    map.on('click', (event) => pick(event.latlng));
    const start = JSON.parse(point);
    if (start) {
      map.setView([start.lat, start.lng], 17);
      placePin(handle, start.lat, start.lng, start.accuracy ?? -1, false);
    } else {
      map.fitBounds(KEMEROVO);
    }
    handle.pick = pick;
    return handle;
  }

  // Puts the picker's pin at `lat`, `lng` with an accuracy circle of `accuracy` metres (none
  // if negative); `pan` brings it into view.
  function placePin(handle, lat, lng, accuracy, pan) {
    if (!handle.pin) {
      handle.pin = L.marker([lat, lng], { draggable: true, autoPan: true, icon: pinIcon('picked'), title: handle.label, alt: handle.label, keyboard: true }).addTo(handle.map);
      handle.pin.on('dragend', () => handle.pick(handle.pin.getLatLng()));
    } else {
      handle.pin.setLatLng([lat, lng]);
    }
    if (handle.circle) handle.map.removeLayer(handle.circle);
    handle.circle = accuracy >= 0 ? L.circle([lat, lng], { radius: accuracy, className: 'accuracy', interactive: false }).addTo(handle.map) : null;
    if (pan) handle.map.setView([lat, lng], Math.max(handle.map.getZoom(), 17));
  }

  function clearPin(handle) {
    for (const layer of [handle.pin, handle.circle]) if (layer) handle.map.removeLayer(layer);
    handle.pin = null;
    handle.circle = null;
  }

  // After the map's box changed size (a panel opened, the phone turned).
  function resize(handle) {
    handle.map.invalidateSize();
  }

  // Stops what is moving and what is pending first: Leaflet fails on a map removed mid-move.
  function destroy(handle) {
    // A zoom animation ends on a timer Leaflet does not clear; ended now, the timer finds
    // nothing to do.
    if (handle.map._animatingZoom) handle.map._onZoomTransitionEnd();
    handle.map.stop();
    handle.map.off();
    handle.map.remove();
  }

  window.dvorMap = { create, setSites, openPopup, setHeat, createPicker, placePin, clearPin, resize, destroy };
})();
