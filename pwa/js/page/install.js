// Installing to the home screen, persistent storage, and picking up new app versions.
import { h } from "./dom.js";

let deferredPrompt = null;
addEventListener("beforeinstallprompt", (event) => { event.preventDefault(); deferredPrompt = event; });

const standalone = () => matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
const ios = () => /iphone|ipad|ipod/i.test(navigator.userAgent);

// What the settings screen offers; null once installed.
export function installOffer() {
  if (standalone()) return null;
  if (deferredPrompt) {
    return h("div", {},
      h("p", { class: "muted" }, "Install Aftercue so it opens like an app and keeps your plan safe offline."),
      h("button", { type: "button", onclick: async () => { deferredPrompt.prompt(); deferredPrompt = null; } }, "Install Aftercue"));
  }
  if (ios()) {
    return h("p", { class: "muted" }, "On iPhone, tap the Share button, then “Add to Home Screen”. ",
      "Safari can clear a website's data after a week without use; the installed app keeps it.");
  }
  return h("p", { class: "muted" }, "Use your browser's menu to add Aftercue to your home screen.");
}

export async function keepStorage() {
  try { return await navigator.storage?.persist?.(); } catch { return false; }
}

// Register the worker; when a new version waits, offer to switch instead of leaving it stale.
export async function registerWorker(onUpdate) {
  if (!("serviceWorker" in navigator)) return null;
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
