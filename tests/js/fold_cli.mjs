// Reads [[event, ...], ...] as JSON on stdin and prints each set's fold, for the Python
// test that checks the app and the server decide every occurrence's state the same way.
import { fold } from "../../pwa/js/shared/fold.js";

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const sets = JSON.parse(input);
  process.stdout.write(JSON.stringify(sets.map((events) => Object.fromEntries(fold(events)))));
});
