// The worker's own words (a notification's buttons, the neutral reminder) in the client's
// language: the plan's, as the page chooses it (page/language.js), read from the precache.
import { SOURCE, chooseLanguage, use } from "../shared/i18n.js";
import { get } from "../shared/store.js";

async function catalog(code) {
  const url = `/i18n/${code}.json`;
  try {
    // The precache keeps it under its versioned URL (the only version: old caches are gone).
    const response = (await caches.match(url, { ignoreVary: true, ignoreSearch: true })) || (await fetch(url));
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

// The language this phone shows: its plan's, else its browser's (page/language.js's choice).
export async function clientLanguage() {
  const plan = await get("plan").catch(() => null);
  return chooseLanguage(plan?.language, self.navigator?.languages || []);
}

// A catalog as served has every key: English only when the client's can't be had.
export async function useClientLanguage() {
  const wanted = await clientLanguage();
  const messages = await catalog(wanted);
  if (messages) use(wanted, messages);
  else use(SOURCE, (wanted !== SOURCE && (await catalog(SOURCE))) || {});
}
