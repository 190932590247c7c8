// The service worker: listeners only. The server injects the version, the file list and the
// paths the app draws itself.
import { onNotificationClick, showPush } from "/js/sw/notify.js";
import { renew } from "/js/shared/push.js";
import { cacheShell, dropOldCaches, fromShell } from "/js/sw/shell.js";
import { OUTBOX_TAG, willRetry } from "/js/shared/sync.js";
import { syncAndTell } from "/js/sw/windows.js";

const VERSION = "__APP_VERSION__";
const PRECACHE = __PRECACHE__;
const ROUTES = __ROUTES__;

self.addEventListener("install", (event) => event.waitUntil(cacheShell(VERSION, PRECACHE)));

self.addEventListener("activate", (event) => event.waitUntil(dropOldCaches(VERSION).then(() => self.clients.claim())));

self.addEventListener("fetch", (event) => {
  const response = fromShell(VERSION, ROUTES, event.request);
  if (response) event.respondWith(response);
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "skip-waiting") self.skipWaiting();
});

// Background Sync: a rejection makes the browser try again later.
self.addEventListener("sync", (event) => {
  if (event.tag !== OUTBOX_TAG) return;
  event.waitUntil(syncAndTell().then((result) => { if (willRetry(result)) throw new Error("retry later"); }));
});

// Always a notification, whatever the push holds: see notify.js.
self.addEventListener("push", (event) => event.waitUntil(showPush(self.registration, event.data)));

self.addEventListener("notificationclick", (event) => {
  event.waitUntil(onNotificationClick(event.action, event.notification));
});

// The browser replaced or dropped the subscription: make one and tell the server (push.js).
self.addEventListener("pushsubscriptionchange", (event) => event.waitUntil(renew(self.registration)));
