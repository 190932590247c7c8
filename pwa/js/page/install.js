// Installing to the home screen, and asking the browser to keep the app's storage.
import { h } from "./dom.js";

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
