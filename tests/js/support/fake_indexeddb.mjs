// Just enough of IndexedDB, in memory, for pwa/js/shared/store.js to run in node: databases with
// object stores (out-of-line keys or a keyPath), transactions that commit as a whole after the
// current task or not at all, and requests that succeed asynchronously, as in a browser.

export class IDBRequest {
  constructor() { this.result = undefined; this.error = null; this.onsuccess = null; this.onerror = null; }
}

class Store {
  constructor(keyPath) { this.keyPath = keyPath; this.rows = new Map(); }
}

class ObjectStore {
  constructor(transaction, rows, keyPath) { this.transaction = transaction; this.rows = rows; this.keyPath = keyPath; }

  put(value, key) {
    const stored = structuredClone(value);
    this.rows.set(this.keyPath ? value[this.keyPath] : key, stored);
    return this.transaction.request(() => key);
  }

  get(key) { return this.transaction.request(() => structuredClone(this.rows.get(key))); }
  delete(key) { this.rows.delete(key); return this.transaction.request(() => undefined); }
  clear() { this.rows.clear(); return this.transaction.request(() => undefined); }

  getAll() {
    const keys = [...this.rows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return this.transaction.request(() => keys.map((k) => structuredClone(this.rows.get(k))));
  }
}

class Transaction {
  constructor(database, names, mode) {
    this.mode = mode;
    this.oncomplete = this.onerror = this.onabort = null;
    this.error = null;
    // Changes are made to copies, written back only when the transaction completes.
    this.copies = new Map(names.map((n) => [n, new Map(database.stores.get(n).rows)]));
    this.database = database;
    setTimeout(() => this.commit(), 0);
  }

  objectStore(name) {
    if (!this.copies.has(name)) throw new DOMException(`${name} is not in this transaction`, "NotFoundError");
    const rows = this.copies.get(name);
    const store = new ObjectStore(this, rows, this.database.stores.get(name).keyPath);
    if (this.mode !== "readwrite") for (const write of ["put", "delete", "clear"]) store[write] = () => { throw new DOMException("read-only", "ReadOnlyError"); };
    return store;
  }

  request(produce) {
    const request = new IDBRequest();
    request.result = produce();
    queueMicrotask(() => request.onsuccess?.({ target: request }));
    return request;
  }

  commit() {
    if (this.mode === "readwrite") for (const [name, rows] of this.copies) this.database.stores.get(name).rows = rows;
    this.oncomplete?.();
  }
}

class Database {
  constructor() { this.stores = new Map(); this.onversionchange = null; }
  createObjectStore(name, { keyPath } = {}) { this.stores.set(name, new Store(keyPath)); }
  transaction(names, mode = "readonly") { return new Transaction(this, [names].flat(), mode); }
  close() {}
}

export function installFakeIndexedDB() {
  const databases = new Map();
  globalThis.IDBRequest = IDBRequest;
  globalThis.indexedDB = {
    open(name, version = 1) {
      const request = new IDBRequest();
      setTimeout(() => {
        let database = databases.get(name);
        request.result = database ??= new Database();
        databases.set(name, database);
        const oldVersion = database.version ?? 0;
        if (version > oldVersion) {  // as a browser: the upgrade learns the version it comes from
          database.version = version;
          request.onupgradeneeded?.({ oldVersion, newVersion: version });
        }
        request.onsuccess?.();
      }, 0);
      return request;
    },
  };
  return databases;
}
