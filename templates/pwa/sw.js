// Symptom Diary service worker, version {{ version }} (a hash of the app shell: a deploy that
// changes the shell changes this file, so the browser installs the new worker and the old
// caches are deleted on activation).
"use strict";
const CACHE = "diary-shell-{{ version }}";
const SHELL = {{ shell | tojson }};
const OFFLINE = "{{ url_for('pwa.offline') }}";
// The support page: precached without anything personal (for everyone on this device) ...
const SUPPORT = "{{ url_for('safety.support') }}";
const SUPPORT_OFFLINE = "{{ url_for('safety.support_offline') }}";
const SAFETY_PLAN = "{{ url_for('safety.plan') }}";
// ... and, once seen online, the patient's own copy with their safety plan, so that it is there
// in a crisis without a connection. Kept across deploys (not a shell cache); logout deletes it
// (Clear-Site-Data, or outbox.js when other accounts' check-ins wait on this phone), and any later
// successful /support (another user, logged out) replaces it.
const PERSONAL = "diary-personal";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE && key !== PERSONAL).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;  // writes and other sites: straight to the network
  }
  if (request.mode === "navigate" && (url.pathname === SUPPORT || url.pathname === SAFETY_PLAN)) {
    event.respondWith(supportPage(event, request, url));
    return;
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

// Network first; a fresh /support is kept as the personal copy. Offline (or the server failing):
// the personal copy, else the support page without anything personal, else the offline page.
function supportPage(event, request, url) {
  const stored = () => caches.match(SUPPORT, {cacheName: PERSONAL, ignoreSearch: true})
    .then((hit) => hit || caches.match(SUPPORT_OFFLINE));
  return fetch(request).then((response) => {
    if (response.status >= 500) {
      return stored().then((hit) => hit || response);
    }
    if (url.pathname === SUPPORT && response.ok && !response.redirected && response.type === "basic") {
      const copy = response.clone();
      event.waitUntil(caches.open(PERSONAL).then((cache) => cache.put(SUPPORT, copy)).catch(() => {}));
    }
    return response;
  }, () => stored().then((hit) => hit || caches.match(OFFLINE)));
}

// Background Sync (where the browser has it): wake an open page to send the outbox.
self.addEventListener("sync", (event) => {
  if (event.tag === "diary-outbox") {
    event.waitUntil(self.clients.matchAll({type: "window"}).then((clients) => {
      clients.forEach((client) => client.postMessage({type: "replay-outbox"}));
    }));
  }
});

// Reminders (web push; the page's side is static/js/reminders.js). A reminder shows what the
// server put in it (diary/insights/reminders.py: what to do, never a score or a note). A push
// without a readable payload still shows something calm and generic, in the language of whoever
// fetched this worker (the texts are JavaScript strings from the catalog: `|tojson`).
const ICON = "{{ url_for('static', filename='icons/icon-192.png') }}";
const BADGE = "{{ url_for('static', filename='icons/badge-96.png') }}";
const REMINDER = {title: {{ _("Symptom Diary")|tojson }}, body: {{ _("Time for today's check-in.")|tojson }},
                  url: "/", tag: "diary-reminder"};

// A path on this site for the notification to open; anything else (another site, javascript:, a
// malformed URL, none) opens Today.
function sameOriginPath(value) {
  if (typeof value !== "string" || !value) {
    return "/";
  }
  try {
    const url = new URL(value, self.location.origin);
    return url.origin === self.location.origin ? url.pathname + url.search + url.hash : "/";
  } catch (error) {
    return "/";
  }
}

function text(value, fallback) {
  return typeof value === "string" && value.trim() ? value : fallback;
}

self.addEventListener("push", (event) => {
  let data = null;
  try {
    data = event.data ? event.data.json() : null;
  } catch (error) {
    data = null;  // not JSON: the generic reminder
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    data = REMINDER;
  }
  const title = text(data.title, REMINDER.title);
  event.waitUntil(self.registration.showNotification(title, {
    body: text(data.body, text(data.title, "") ? "" : REMINDER.body),
    tag: text(data.tag, REMINDER.tag),
    data: {url: sameOriginPath(text(data.url, REMINDER.url))},
    icon: ICON,
    badge: BADGE,
  }));
});

// A tap on the reminder: a window of the diary already open comes to the front, on the reminder's
// page (one already there is left as it is: it may hold a half-typed check-in); otherwise a new
// one opens.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(sameOriginPath(event.notification.data && event.notification.data.url),
                         self.location.origin).href;
  event.waitUntil(self.clients.matchAll({type: "window", includeUncontrolled: true}).then((windows) => {
    const open = windows.find((client) => client.url === target)
      || windows.find((client) => new URL(client.url).origin === self.location.origin);
    if (!open) {
      return self.clients.openWindow(target);
    }
    if (open.url === target) {
      return open.focus();
    }
    // navigate() works only on a page this worker controls: otherwise, a new window.
    return open.focus()
      .then((client) => (client || open).navigate(target))
      .catch(() => self.clients.openWindow(target));
  }));
});
