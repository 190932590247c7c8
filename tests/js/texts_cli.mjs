// Reads { lifted: [text, ...] } as JSON on stdin and prints the categories the app knows and each
// lifted text as the Avoid screen shows it, for the Python tests of the protocols' texts.
import { CATEGORIES } from "../../pwa/js/shared/categories.js";
import { lifted } from "../../pwa/js/shared/screens.js";

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { lifted: texts } = JSON.parse(input);
  process.stdout.write(JSON.stringify({ categories: CATEGORIES, lifted: texts.map(lifted) }));
});
