// The page's language: its catalog loaded (pwa/i18n/<code>.json, complete as served), <html
// lang dir> set, and index.html's own words (data-i18n) written in it. The client's language
// is their plan's; before a plan, the browser's.
import { PSEUDO, SOURCE, chooseLanguage, direction, language, t, use } from "../shared/i18n.js";
import { tellWorker } from "./worker.js";

const loaded = new Map();

// A catalog's URL, keyed by its content, from the page's list (the server writes it); the
// plain path for one not listed (the pseudo-locale's).
function catalogUrl(code) {
  const listed = JSON.parse(document.querySelector('meta[name="catalogs"]')?.content || "{}");
  return listed[code] || `/i18n/${code}.json`;
}

async function catalog(code) {
  if (!loaded.has(code)) {
    loaded.set(code, fetch(catalogUrl(code)).then((r) => (r.ok ? r.json() : null)).catch(() => null));
  }
  const messages = await loaded.get(code);
  if (messages === null) loaded.delete(code);  // offline or not offered: try again next time
  return messages;
}

// Show the app in the language for this plan (or none yet); true when it changed. A catalog as
// served has every key (the server fills any it lacks from English): one download, not two.
export async function applyLanguage(plan) {
  const wanted = chooseLanguage(plan?.language, navigator.languages || [navigator.language]);
  if (wanted === language().code && loaded.has(wanted)) return false;
  const messages = await catalog(wanted);
  // A catalog that can't be had (offline before it was kept, or the pseudo-locale not served):
  // English, and t() shows a key where even that is missing, never a blank.
  if (messages) use(wanted, messages);
  else use(SOURCE, (wanted !== SOURCE && (await catalog(SOURCE))) || {});
  const root = document.documentElement;
  root.lang = language().code;
  root.dir = direction();
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll("[data-i18n-label]")) element.setAttribute("aria-label", t(element.dataset.i18nLabel));
  tellWorker({ type: "language" });  // it keeps this language's catalog for offline
  return true;
}

export const isPseudo = () => language().code === PSEUDO.code;
