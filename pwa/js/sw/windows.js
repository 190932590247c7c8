// The worker's word to the app's open windows (page/worker.js hears it): "synced" to redraw,
// "open" to show a screen.
import { syncNow } from "../shared/sync.js";

// Send the outbox, then have each open window redraw, sent or not: the ticks it shows may have
// changed here (a reminder's "Done") or on the server.
export async function syncAndTell(sw = self) {
  const result = await syncNow();
  for (const client of await sw.clients.matchAll({ type: "window" })) client.postMessage({ type: "synced" });
  return result;
}

// Today's screen: in a window of the app that is already open, or a new one.
export async function openApp(url, sw = self) {
  const windows = await sw.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === sw.location.origin);
  if (!open) return sw.clients.openWindow(url);
  open.postMessage({ type: "open", url });
  return open.focus().catch(() => open);  // the browser decides whether a window may come forward
}
