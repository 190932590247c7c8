// The page's side of the service worker, and the page's only use of navigator.serviceWorker:
// registering it, offering a new version, reaching its registration, hearing its messages.

export const hasWorker = () => "serviceWorker" in navigator;

// Register the worker; when a new version waits, offer to switch instead of leaving it stale.
export async function registerWorker(onUpdate) {
  if (!hasWorker()) return null;
  const registration = await navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/" });
  let accepted = false;
  const offer = (worker) => onUpdate(() => { accepted = true; worker.postMessage({ type: "skip-waiting" }); });
  const watch = (worker) => worker?.addEventListener("statechange", () => {
    if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
  });
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  // A new version may already be installing when this page loads: its updatefound has fired.
  watch(registration.installing);
  registration.addEventListener("updatefound", () => watch(registration.installing));
  // Reload only for an update the client asked for, not when the first worker takes over.
  navigator.serviceWorker.addEventListener("controllerchange", () => accepted && location.reload());
  registration.update().catch(() => {});
  return registration;
}

// The registration once a worker is active. Like .ready, it never settles without one: a look
// that must not wait uses currentRegistration().
export const workerReady = () => (hasWorker() ? navigator.serviceWorker.ready : new Promise(() => {}));

export async function currentRegistration() {
  return (hasWorker() && (await navigator.serviceWorker.getRegistration())) || null;
}

// Tell the active worker something (sw.js's message listener), once there is one.
export function tellWorker(message) {
  if (hasWorker()) workerReady().then((registration) => registration.active?.postMessage(message));
}

// The worker's messages (sw/windows.js): { type: "synced" } once it has tried to send ticks, so
// redraw; { type: "open", url } after a tapped reminder.
export function onWorkerMessage(handler) {
  if (hasWorker()) navigator.serviceWorker.addEventListener("message", ({ data }) => data && handler(data));
}
