import assert from "node:assert/strict";
import { test } from "node:test";
import { catalog, english } from "./support/english.mjs";
import { LANGUAGES, chooseLanguage, direction, locale, number, parts, t, use } from "../../pwa/js/shared/i18n.js";
import { day, time, timeLeft } from "../../pwa/js/shared/format.js";

const CODES = LANGUAGES.map((l) => l.code);
const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const texts = (value) => (typeof value === "string" ? [value] : Object.values(value));

test("a text with its placeholders filled, numbers written the language's way (Western digits in Arabic, as the dashboard)", () => {
  use("en", english);
  assert.equal(t("avoid.from", { day: "Fri 11 Dec" }), "From Fri 11 Dec");
  assert.equal(t("today.done_of", { done: 2, count: 6 }), "2 of 6 done");
  use("ar", catalog("ar"), english);
  assert.equal(t("progress.session", { number: 2 }), "الجلسة 2");
  assert.equal(direction(), "rtl");
  assert.equal(number(1234.5), "1,234.5");
  use("en", english);
});

test("plural forms follow Intl.PluralRules: English one/other, Arabic's six", () => {
  use("en", english);
  assert.equal(t("left.more_days", { count: 1 }), "1 more day");
  assert.equal(t("left.more_days", { count: 3 }), "3 more days");
  use("ar", catalog("ar"), english);
  assert.equal(t("left.more_days", { count: 1 }), "يوم واحد آخر");
  assert.equal(t("left.more_days", { count: 2 }), "يومان آخران");
  assert.equal(t("left.more_days", { count: 3 }), "3 أيام أخرى");
  assert.equal(t("left.more_days", { count: 11 }), "11 يومًا آخر");
  use("es", catalog("es"), english);
  assert.equal(t("left.more_days", { count: 1 }), "1 día más");
  assert.equal(t("left.more_days", { count: 5 }), "5 días más");
  use("en", english);
});

test("a key the language lacks reads in English; one no catalog has shows its key, never a blank", () => {
  use("es", { "tab.today": "Hoy" }, english);
  assert.equal(t("tab.today"), "Hoy");
  assert.equal(t("tab.avoid"), "Avoid");
  assert.equal(t("no.such.key"), "no.such.key");
  use("en", english);
});

test("an element given as a parameter stays an element inside the sentence", () => {
  use("en", english);
  const name = { element: "bdi" };
  assert.deepEqual(parts("kept.title", { name }), ["Ticks for ", name, "'s plan"]);
});

test("the language: a tester's pseudo-locale, then the plan's, then the browser's, then English", () => {
  assert.equal(chooseLanguage("ar", ["es-ES", "en"]), "ar");
  assert.equal(chooseLanguage(null, ["fr-FR", "es-MX", "en"]), "es");
  assert.equal(chooseLanguage(undefined, ["fr"]), "en");
  assert.equal(chooseLanguage("xx", ["AR-ae"]), "ar");
  assert.equal(chooseLanguage("es", ["en-XA"]), "en-XA");
});

test("dates and times in the language, always 24-hour", () => {
  const tz = "Europe/London";
  use("en", english);
  assert.equal(day("2026-12-11"), "Fri 11 Dec");
  assert.equal(time(Date.parse("2026-03-20T21:05:00Z"), tz), "21:05");
  use("es", catalog("es"), english);
  assert.equal(locale(), "es");
  assert.match(day("2026-12-11"), /^vie/);
  assert.equal(time(Date.parse("2026-03-20T21:05:00Z"), tz), "21:05");
  assert.equal(timeLeft(Date.parse("2026-03-21T12:00:00Z"), Date.parse("2026-03-20T09:00:00Z"), tz), "hasta mañana a las 12:00");
  use("ar", catalog("ar"), english);
  assert.equal(time(Date.parse("2026-03-20T21:05:00Z"), tz), "21:05");
  assert.match(day("2026-12-11"), /الجمعة/);
  use("en", english);
});

test("every catalog has every English key, the same placeholders and valid plural forms", () => {
  for (const code of CODES) {
    const messages = catalog(code);
    const keys = Object.keys(messages).filter((k) => !k.startsWith("_"));
    assert.deepEqual(keys.sort(), Object.keys(english).filter((k) => !k.startsWith("_")).sort(), code);
    const forms = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
    for (const key of keys) {
      const wanted = new Set(texts(english[key]).flatMap(placeholders));
      for (const text of texts(messages[key])) {
        for (const name of placeholders(text)) assert.ok(wanted.has(name), `${code} ${key}: {${name}}`);
      }
      if (typeof messages[key] === "object") {
        assert.ok("other" in messages[key], `${code} ${key}: no "other" form`);
        for (const form of Object.keys(messages[key])) assert.ok(forms.includes(form), `${code} ${key}: ${form}`);
      }
    }
  }
});

test("each catalog says who produced it and whether a native speaker has reviewed it", () => {
  for (const code of CODES) {
    const meta = catalog(code)._meta;
    assert.equal(meta.language, code);
    assert.ok(meta.produced_by, code);
    assert.ok(meta.reviewed_by_native_speaker, code);
  }
  assert.equal(catalog("ar")._meta.reviewed_by_native_speaker, "not yet");
  assert.equal(catalog("es")._meta.reviewed_by_native_speaker, "not yet");
});
