// Symptom Diary service worker, version {{ version }} (a hash of the app shell: a deploy that
// changes the shell changes this file, so the browser installs the new worker and the old
// caches are deleted on activation).
"use strict";
const CACHE = "diary-shell-{{ version }}";
const SHELL = {{ shell | tojson }};
const OFFLINE = "{{ url_for('pwa.offline') }}";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;  // writes and other sites: straight to the network
  }
  if (request.mode === "navigate") {
    // Pages: always fresh from the network (never a stale page after a deploy, and no diary
    // page is stored on the device); offline, the check-in form that saves to the outbox.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    event.respondWith(caches.match(request, {ignoreSearch: true}).then((hit) => hit || fetch(request)));
  }
});

// Background Sync (where the browser has it): wake an open page to send the outbox.
self.addEventListener("sync", (event) => {
  if (event.tag === "diary-outbox") {
    event.waitUntil(self.clients.matchAll({type: "window"}).then((clients) => {
      clients.forEach((client) => client.postMessage({type: "replay-outbox"}));
    }));
  }
});
