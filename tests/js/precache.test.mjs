import assert from "node:assert/strict";
import { test } from "node:test";
import { neededFiles } from "../../pwa/js/sw/shell.js";

const FILES = [
  { url: "/", sha256: "a" },
  { url: "/i18n/ar.json", sha256: "b", language: "ar" },
  { url: "/i18n/en.json", sha256: "c", language: "en" },
  { url: "/i18n/es.json", sha256: "d", language: "es" },
];
const urls = (files) => files.map((f) => f.url);

test("a phone keeps its own language's catalog only: a catalog as served has every key", () => {
  assert.deepEqual(urls(neededFiles(FILES, ["ar"])), ["/", "/i18n/ar.json"]);
  assert.deepEqual(urls(neededFiles(FILES, ["en"])), ["/", "/i18n/en.json"]);
});

test("English when the phone's language has no catalog listed (the pseudo-locale) or is unknown", () => {
  assert.deepEqual(urls(neededFiles(FILES, ["en-XA"])), ["/", "/i18n/en.json"]);
  assert.deepEqual(urls(neededFiles(FILES, [])), ["/", "/i18n/en.json"]);
});
