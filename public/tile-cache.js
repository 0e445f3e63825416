// Map tiles kept on the device, for maps in a yard with no signal. The service worker loads
// this file (importScripts) to answer tile requests; the map screen loads it to download an
// area. Two kinds of cache:
// - tiles seen on a map, in one cache of at most VIEWED_MAX tiles, the least recently used
//   evicted first (a cache lists its entries in the order they were put; a tile used again is
//   put again, so the oldest-used comes first);
// - downloaded areas, one cache per area, kept until replaced by a new download of that area
//   or removed by the person.
'use strict';

(function (scope) {
  const VIEWED = 'dvor-tiles-viewed';
  const AREA_PREFIX = 'dvor-tiles-area:';
  const VIEWED_MAX = 2000;
  // Tiles fetched at once while downloading an area.
  const PARALLEL = 6;
  // Tries of one tile before a download gives up.
  const TRIES = 3;

  // Whether a request is for a map tile: an image whose address ends in z/x/y (with an
  // optional image extension). Tile URLs name nothing else by three numbers.
  function isTile(request) {
    return request.method === 'GET' && request.destination === 'image' && /\/\d+\/\d+\/\d+(\.(png|jpe?g|webp))?$/.test(new URL(request.url).pathname);
  }

  // Makes a cached entry the most recently used.
  async function touch(cache, request, response) {
    await cache.delete(request);
    await cache.put(request, response);
  }

  // Puts `response` for `request` in `cache` as its most recently used entry, then evicts the
  // least recently used entries beyond `max`.
  async function remember(cache, request, response, max) {
    await touch(cache, request, response);
    const keys = await cache.keys();
    await Promise.all(keys.slice(0, Math.max(0, keys.length - max)).map((key) => cache.delete(key)));
  }

  // The service worker's answer to a tile request: a downloaded area's copy, else one seen
  // before (now the most recently used), else the network's (kept among those seen).
  async function serve(request, max = VIEWED_MAX) {
    const viewed = await caches.open(VIEWED);
    const seen = await viewed.match(request);
    if (seen) {
      await touch(viewed, request, seen.clone());
      return seen;
    }
    for (const name of await caches.keys()) {
      if (!name.startsWith(AREA_PREFIX)) continue;
      const kept = await (await caches.open(name)).match(request);
      if (kept) return kept;
    }
    const response = await fetch(request);
    if (response.ok) await remember(viewed, request, response.clone(), max);
    return response;
  }

  // Downloads `urls` as the area `name`, replacing its earlier download only once every tile
  // is in. `onProgress(done, total, bytes)` hears each tile; `signal` cancels. A tile the
  // server does not have (404) is skipped; one that keeps failing stops the download, leaving
  // the earlier download of the area as it was. Resolves to `{ tiles, bytes }`.
  async function download(name, urls, onProgress, signal) {
    const target = `${AREA_PREFIX}${name}:${Date.now()}`;
    const cache = await caches.open(target);
    let next = 0;
    let done = 0;
    let tiles = 0;
    let bytes = 0;
    const fetchOne = async (url) => {
      for (let attempt = 1; ; attempt++) {
        try {
          const response = await fetch(url, { mode: 'cors', credentials: 'omit', signal });
          if (response.status === 404) return;
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          const body = await response.blob();
          await cache.put(url, new Response(body, { headers: { 'content-type': response.headers.get('content-type') || 'image/png' } }));
          tiles += 1;
          bytes += body.size;
          return;
        } catch (error) {
          if (signal && signal.aborted) throw error;
          if (attempt >= TRIES) throw error;
          await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        }
      }
    };
    const worker = async () => {
      while (next < urls.length) {
        const url = urls[next++];
        await fetchOne(url);
        done += 1;
        onProgress(done, urls.length, bytes);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(PARALLEL, urls.length) }, worker));
    } catch (error) {
      await caches.delete(target);
      throw error;
    }
    for (const old of await caches.keys()) {
      if (old.startsWith(`${AREA_PREFIX}${name}:`) && old !== target) await caches.delete(old);
    }
    return { tiles, bytes };
  }

  // Removes every downloaded area and every tile seen.
  async function forget() {
    for (const name of await caches.keys()) {
      if (name === VIEWED || name.startsWith(AREA_PREFIX)) await caches.delete(name);
    }
  }

  scope.dvorTiles = { VIEWED, AREA_PREFIX, VIEWED_MAX, isTile, touch, remember, serve, download, forget };
})(self);
