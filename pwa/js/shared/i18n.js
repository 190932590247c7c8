// The app's words in the client's language: one catalog (pwa/i18n/<code>.json) in use at a
// time, a fallback beneath it for any key it lacks (none needed for a catalog as served, which
// has every key: server/phone/shell_files.py). Pure (no DOM, no fetch), so node --test runs
// it; page/language.js loads the catalogs.
//
// A catalog maps a key to a text with {name} placeholders, or to its plural forms by
// Intl.PluralRules category ({ "one": "…", "other": "…" }), chosen by the `count` parameter.
// Numbers in parameters are written the language's way (Intl.NumberFormat).

// The languages a client may choose, by their own names: server/languages.py's list (a test
// holds the two together). intl: the locale dates and numbers are written in; English is the
// British one, day before month, as before; Arabic with Western digits, as the dashboard's
// Arabic (Babel's) writes them and every engine agrees.
export const LANGUAGES = [
  { code: "en", name: "English", dir: "ltr", intl: "en-GB" },
  { code: "ar", name: "العربية", dir: "rtl", intl: "ar-u-nu-latn" },
  { code: "es", name: "Español", dir: "ltr", intl: "es" },
];
// The pseudo-locale (server's PSEUDO_LOCALE=on serves its catalog): for tests only, never listed.
export const PSEUDO = { code: "en-XA", name: "Ƥšéûðö", dir: "ltr", intl: "en-GB" };
export const SOURCE = "en";

const current = { language: LANGUAGES[0], messages: {}, fallback: {} };

// From now on, words from `messages` in `code`, and from `fallback` (English) where it has none.
export function use(code, messages, fallback = messages) {
  current.language = known(code) || LANGUAGES[0];
  current.messages = messages || {};
  current.fallback = fallback || {};
  rules.clear();
}

export const language = () => current.language;
export const locale = () => current.language.intl;
export const direction = () => current.language.dir;

const known = (code) => [...LANGUAGES, PSEUDO].find((l) => l.code === code) || null;

// The language to show: a tester's pseudo-locale first, then the client's own (their plan's),
// then the first of the browser's languages the app has, then English.
export function chooseLanguage(chosen, browser = []) {
  if (browser.includes(PSEUDO.code)) return PSEUDO.code;
  if (chosen && LANGUAGES.some((l) => l.code === chosen)) return chosen;
  for (const tag of browser) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (LANGUAGES.some((l) => l.code === base)) return base;
  }
  return SOURCE;
}

const rules = new Map();
function pluralOf(count) {
  const key = locale();
  if (!rules.has(key)) rules.set(key, new Intl.PluralRules(key));
  return rules.get(key).select(count);
}

export function number(value, options = {}) {
  return new Intl.NumberFormat(locale(), options).format(value);
}

function entry(key, params) {
  for (const catalog of [current.messages, current.fallback]) {
    let found = catalog[key];
    if (found === undefined) continue;
    if (typeof found === "object" && found !== null) found = found[pluralOf(params.count ?? 0)] ?? found.other;
    if (typeof found === "string") return found;
  }
  return key;  // never blank: a missing key shows itself (and a test catches it)
}

// The text split at its placeholders: strings, and each parameter as it was given, so the page
// can put an element (a name in <bdi>) where a placeholder stands.
export function parts(key, params = {}) {
  const pieces = [];
  const placed = new Set();
  const text = entry(key, params);
  let last = 0;
  for (const match of text.matchAll(/\{(\w+)\}/g)) {
    pieces.push(text.slice(last, match.index));
    let value = params[match[1]];
    // An element said twice ("… at {clinic} hasn't reached {clinic}") is drawn twice.
    if (placed.has(value) && typeof value?.cloneNode === "function") value = value.cloneNode(true);
    if (typeof value === "object" && value !== null) placed.add(value);
    pieces.push(value === undefined ? match[0] : typeof value === "number" ? number(value) : value);
    last = match.index + match[0].length;
  }
  pieces.push(text.slice(last));
  return pieces.filter((piece) => piece !== "");
}

export function t(key, params = {}) {
  return parts(key, params).join("");
}

// A list in the language's own way: "a, b and c", "a، b و c".
export function list(items) {
  return new Intl.ListFormat(locale(), { style: "long", type: "conjunction" }).format(items);
}
