// The service worker: listeners only. The server injects the version, the file list and the
// paths the app draws itself.
import { onNotificationClick, showPush } from "/js/sw/notify.js";
import { renew } from "/js/shared/push.js";
import { cacheCatalogs, cacheShell, dropOldCaches, fromShell, neededFiles } from "/js/sw/shell.js";
import { OUTBOX_TAG, willRetry } from "/js/shared/sync.js";
import { syncAndTell } from "/js/sw/windows.js";
import { clientLanguage } from "/js/sw/words.js";

const VERSION = "__APP_VERSION__";
const PRECACHE = __PRECACHE__;
const ROUTES = __ROUTES__;

// Of the catalogs, the client's language only (shell.js neededFiles).
const languages = () => clientLanguage().then((code) => [code]).catch(() => []);

self.addEventListener("install", (event) => event.waitUntil(
  languages().then((wanted) => cacheShell(VERSION, neededFiles(PRECACHE, wanted)))));

self.addEventListener("activate", (event) => event.waitUntil(dropOldCaches(VERSION).then(() => self.clients.claim())));

self.addEventListener("fetch", (event) => {
  const response = fromShell(VERSION, ROUTES, event.request);
  if (response) event.respondWith(response);
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "skip-waiting") self.skipWaiting();
  // The page shows another language now: keep its catalog for offline.
  if (event.data?.type === "language") event.waitUntil(languages().then((wanted) => cacheCatalogs(VERSION, PRECACHE, wanted)));
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
