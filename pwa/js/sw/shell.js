// Caching strategies of the service worker: the app shell only, never the API.

const PREFIX = "aftercue-shell-";

export async function cacheShell(version, files) {
  const cache = await caches.open(PREFIX + version);
  // "reload": take the files from the network, not from a possibly stale HTTP cache.
  await cache.addAll(files.map((url) => new Request(url, { cache: "reload" })));
}

export async function dropOldCaches(version) {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== PREFIX + version).map((n) => caches.delete(n)));
}

// A response for the shell's own requests, or null to let the network handle it. A visit to
// one of `routes`, the paths the app draws itself, gets the cached shell page.
export function fromShell(version, routes, request) {
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return null;
  if (request.mode === "navigate" && !routes.includes(url.pathname)) return null;
  if (url.pathname.startsWith("/api/")) return null;
  const key = request.mode === "navigate" ? "/" : url.pathname;
  return caches.open(PREFIX + version)
    .then((cache) => cache.match(key))
    .then((cached) => cached || fetch(request));
}
