// Installing to the home screen, and asking the browser to keep the app's storage.
import { h, said } from "./dom.js";
import { app } from "./views/enroll.js";

let deferredPrompt = null;
addEventListener("beforeinstallprompt", (event) => { event.preventDefault(); deferredPrompt = event; });

// Opened as the installed app, from the home screen (navigator.standalone: Safari's older word).
export const installed = () => matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
export const ios = () => /iphone|ipad|ipod/i.test(navigator.userAgent);

// What the settings screen offers; null once installed.
export function installOffer() {
  if (installed()) return null;
  if (deferredPrompt) {
    return h("div", {},
      h("p", { class: "muted" }, said("install.why", { app: app() })),
      h("button", { type: "button", onclick: async () => { deferredPrompt.prompt(); deferredPrompt = null; } }, said("install.button", { app: app() })));
  }
  if (ios()) {
    return h("p", { class: "muted" }, said("install.ios"), " ", said("install.ios_why"));
  }
  return h("p", { class: "muted" }, said("install.menu", { app: app() }));
}

export async function keepStorage() {
  try { return await navigator.storage?.persist?.(); } catch { return false; }
}
