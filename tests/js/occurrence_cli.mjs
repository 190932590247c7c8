// Reads [[done, optional, dueEnd, nowMs], ...] as JSON on stdin and prints each case's state,
// for the Python test that checks the app and the server decide it the same way.
import { state } from "../../pwa/js/shared/occurrence.js";

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  process.stdout.write(JSON.stringify(cases.map(([done, optional, dueEnd, now]) => state(done, optional, dueEnd, now))));
});
