// The one IndexedDB owner, shared by the page and the service worker.
// Stores: kv (token, plan, bundle, cursor, profile), outbox (ticks not yet acknowledged),
// events (every tick this phone knows of, its own and other devices'), photos (photos taken
// on this phone, kept until uploaded and after: shared/photos.js).

const NAME = "aftercue";
let opening = null;

export function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function open() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, 2);
    // Each version adds to the one before: a phone on version 1 keeps its ticks and token.
    request.onupgradeneeded = (event) => {
      const db = request.result;
      if (event.oldVersion < 1) {
        db.createObjectStore("kv");
        db.createObjectStore("outbox", { keyPath: "id" });
        db.createObjectStore("events", { keyPath: "id" });
      }
      if (event.oldVersion < 2) db.createObjectStore("photos", { keyPath: "id" });
    };
    request.onsuccess = () => {
      // A newer app version upgrades the database: let it, and open afresh next time.
      request.result.onversionchange = () => { request.result.close(); opening = null; };
      resolve(request.result);
    };
    request.onerror = () => { opening = null; reject(request.error); };
  });
  return opening;
}

// Run fn(stores) in one transaction; resolves after it commits (so nothing is half-written).
export async function transaction(names, mode, fn) {
  const db = await open();
  const tx = db.transaction(names, mode);
  const stores = Object.fromEntries(names.map((n) => [n, tx.objectStore(n)]));
  const result = fn(stores);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
  return result instanceof IDBRequest ? result.result : result;
}

export const get = (key) => transaction(["kv"], "readonly", (s) => s.kv.get(key));
export const set = (key, value) => transaction(["kv"], "readwrite", (s) => { s.kv.put(value, key); });
export const all = (name) => transaction([name], "readonly", (s) => s[name].getAll());
