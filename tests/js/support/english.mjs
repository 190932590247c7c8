// The app's English catalog in use, as page/language.js sets it in the browser: tests of
// screens and messages read the words a client reads.
import { readFileSync } from "node:fs";
import { use } from "../../../pwa/js/shared/i18n.js";

export const english = JSON.parse(readFileSync(new URL("../../../pwa/i18n/en.json", import.meta.url)));
export const catalog = (code) => JSON.parse(readFileSync(new URL(`../../../pwa/i18n/${code}.json`, import.meta.url)));
use("en", english);
