// The service worker of Двор: keeps the app shell so the app opens with no network, and map
// tiles so maps show with none.
//
// `cargo xtask` prepends `self.DVOR_BUILD = { version, files }` to the built copy of this file:
// the version changes with every build that changes any file, which makes the browser install
// the new worker; `files` is the list to precache. Without it (a development build) the worker
// only passes requests through.
'use strict';

// Map tiles seen and downloaded: `dvorTiles` (public/tile-cache.js).
importScripts('/tile-cache.js');

const BUILD = self.DVOR_BUILD || null;
const CACHE_PREFIX = 'dvor-shell-';
const CACHE = BUILD ? CACHE_PREFIX + BUILD.version : null;
const SHELL = '/index.html';
const OFFLINE = '/offline.html';

self.addEventListener('install', (event) => {
  if (!BUILD) return;
  // Not skipWaiting(): a new version waits until the person agrees to reload, so a form
  // being filled in is never swapped out under them.
  event.waitUntil(
    // Through the HTTP cache: the files the page has just downloaded are taken from it, not
    // fetched a second time (hashed names never change; the rest are revalidated by ETag).
    caches.open(CACHE).then((cache) => cache.addAll(BUILD.files))
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(CACHE_PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (BUILD && self.dvorTiles.isTile(request)) {
    // No tile and no network: an error the map shows as a plain background with a notice.
    event.respondWith(self.dvorTiles.serve(request).catch(() => new Response('', { status: 504 })));
    return;
  }
  const url = new URL(request.url);
  if (!BUILD || request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return;
  }
  if (request.mode === 'navigate') {
    // Every page of the app is the same shell; the router inside picks the screen.
    event.respondWith(
      caches.match(SHELL, { cacheName: CACHE })
        .then((cached) => cached || fetch(request))
        .catch(() => caches.match(OFFLINE, { cacheName: CACHE }))
    );
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((cached) => cached || fetch(request)));
});
