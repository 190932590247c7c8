// Caching strategies of the service worker: the app shell only, never the API.
import { SOURCE } from "../shared/i18n.js";

const PREFIX = "aftercue-shell-";
// The precache holds one copy per URL, whatever encoding the server chose for it.
const ONE_COPY = { ignoreVary: true };

// Fill the precache for `version` from `files` ({ url, sha256 } each, from the server). Each
// body's SHA-256 must begin with the hex digits the server gave (16 of them), so neither an
// earlier version's precache nor a stale HTTP cache can slip an old file into a new version.
export async function cacheShell(version, files) {
  const cache = await caches.open(PREFIX + version);
  await Promise.all(files.map(async ({ url, sha256 }) => cache.put(url, await verified(url, sha256))));
}

// The first good copy of: one an earlier version kept (an unchanged module keeps its URL), the
// browser's HTTP cache (the page has just loaded most files: no second download), the network.
async function verified(url, sha256) {
  const kept = await caches.match(url, ONE_COPY);
  if (kept && (await hasHash(kept, sha256))) return kept;
  for (const mode of ["force-cache", "reload"]) {
    const response = await fetch(url, { cache: mode });
    if (response.ok && (await hasHash(response, sha256))) return response;
  }
  // The install fails and the browser tries again later: better than a mixed shell.
  throw new Error(`${url} is not the file this version expects`);
}

async function hasHash(response, sha256) {
  if (sha256.length < 16) return false;  // too few digits to tell versions apart
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer()));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("").startsWith(sha256);
}

// Of the app's catalogs, those of `languages` (the client's): a phone needs one language, not
// every one the app speaks, and a catalog as served has every key (no English beneath it).
// English when none of them is offered, as the page shows then. Files that are not catalogs
// are always needed.
export function neededFiles(files, languages) {
  const offered = languages.filter((code) => files.some((f) => f.language === code));
  const kept = offered.length ? offered : [SOURCE];
  return files.filter((f) => !f.language || kept.includes(f.language));
}

// Another language chosen since the install: its catalog kept too (the page says when).
export function cacheCatalogs(version, files, languages) {
  return cacheShell(version, files.filter((f) => f.language && languages.includes(f.language)));
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
  const key = request.mode === "navigate" ? "/" : url.pathname + url.search;
  return caches.open(PREFIX + version)
    .then((cache) => cache.match(key, ONE_COPY))
    .then((cached) => cached || fetch(request));
}
