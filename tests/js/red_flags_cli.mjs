// Reads [{rules, answers, day}, ...] as JSON on stdin and prints the red flags each raises,
// for the Python test that checks the app and the server flag check-ins the same way.
import { raised } from "../../pwa/js/shared/red_flags.js";

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  process.stdout.write(JSON.stringify(cases.map((c) => raised(c.rules, c.answers, c.day))));
});
