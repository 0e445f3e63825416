// Двор's thin layer over Leaflet, loaded with it when a screen first shows a map, so the
// first load of the app carries none of it. The wasm calls `window.dvorMap`; data cross as
// JSON text, events come back through the callbacks given.
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

  function clusterIcon(cluster) {
    const count = cluster.getChildCount();
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
    const map = L.map(element, { minZoom: 3, maxZoom: 19, zoomSnap: 1, zoomControl: false });
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

  // The map of sites. `view` is `{lat, lng, zoom}` or null; `onMove(lat, lng, zoom)` hears
  // every move, `onSite(id)` every tap on a site.
  function create(element, settings, labels, view, onMove, onSite, onTiles) {
    const map = newMap(element, settings, JSON.parse(labels), onTiles);
    setView(map, JSON.parse(view));
    const sites = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      zoomToBoundsOnClick: false,
      maxClusterRadius: 48,
      iconCreateFunction: clusterIcon,
    });
    // Sites at one spot spread out at the first tap: zooming in would never part them.
    sites.on('clusterclick', (event) => {
      const cluster = event.layer;
      const bounds = cluster.getBounds();
      if (bounds.getNorthEast().equals(bounds.getSouthWest()) || map.getZoom() >= map.getMaxZoom()) cluster.spiderfy();
      else cluster.zoomToBounds({ padding: [24, 24] });
    });
    sites.on('click', (event) => onSite(event.layer.options.siteId));
    const outlines = L.layerGroup();
    map.addLayer(outlines).addLayer(sites);
    map.on('moveend', () => {
      const centre = map.getCenter();
      onMove(centre.lat, centre.lng, map.getZoom());
    });
    return { map, sites, outlines, markers: new Map(), heat: null };
  }

  // Shows `sites` (JSON: [{id, name, kind, lat, lng, outline: [[lat, lng], …] | null}]);
  // `fit` moves the view to hold them all. Marks `dvor:map-sites` when every marker is placed.
  function setSites(handle, sites, fit) {
    const list = JSON.parse(sites);
    const started = performance.now();
    handle.sites.clearLayers();
    handle.outlines.clearLayers();
    handle.markers.clear();
    const markers = list.map((site) => {
      const marker = L.marker([site.lat, site.lng], { icon: pinIcon(site.kind), title: site.name, alt: site.name, siteId: site.id });
      handle.markers.set(site.id, marker);
      if (site.outline) {
        L.polygon(site.outline, { className: `outline outline-${site.kind}`, interactive: false }).addTo(handle.outlines);
      }
      return marker;
    });
    const done = () => {
      performance.measure('dvor:map-sites', { start: started, end: performance.now() });
      handle.map.getContainer().dataset.sites = String(list.length);
    };
    handle.sites.options.chunkProgress = (processed, total) => { if (processed === total) done(); };
    if (markers.length === 0) done();
    else handle.sites.addLayers(markers);
    if (fit && markers.length > 0) handle.map.fitBounds(L.latLngBounds(markers.map((m) => m.getLatLng())), { maxZoom: 16, padding: [24, 24] });
  }

  // Opens a popup with `element` over site `id`.
  function openPopup(handle, id, element) {
    const marker = handle.markers.get(id);
    if (!marker) return;
    L.popup({ maxWidth: 280, minWidth: 200, offset: [0, -6] }).setLatLng(marker.getLatLng()).setContent(element).openOn(handle.map);
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
    if (handle.sites) handle.sites.clearLayers();
    handle.map.remove();
  }

  window.dvorMap = { create, setSites, openPopup, setHeat, createPicker, placePin, clearPin, resize, destroy };
})();
