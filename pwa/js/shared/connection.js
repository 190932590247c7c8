// Whether this phone is still connected to its client. A 401 to the token it holds means the
// clinic disconnected it (or it was signed out elsewhere): that is kept, so every start and
// every redraw says so until a new link, and the outbox waits for that link.
import { get, transaction } from "./store.js";

export function markDisconnected(token) {
  // Only the token held now: a 401 to an older one (a queued sign-out, ticks kept for a plan
  // this phone no longer shows) says nothing about this one.
  return transaction(["kv"], "readwrite", (s) => {
    const held = s.kv.get("token");
    held.onsuccess = () => { if (held.result === token) s.kv.put(true, "disconnected"); };
  });
}

export const isDisconnected = async () => Boolean(await get("disconnected"));
