// The state of one task occurrence at `now`: what the screens show and count. The server decides
// it by the same rule, and a parity test holds the two together (tests/js/occurrence_cli.mjs).

// done | open (its time is not up) | optional-not-done | missed.
// dueEnd: RFC 3339, with any offset; now: milliseconds since the epoch.
export function state(done, optional, dueEnd, now) {
  if (done) return "done";
  if (Date.parse(dueEnd) > now) return "open";
  return optional ? "optional-not-done" : "missed";
}
