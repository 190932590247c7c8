// Which red flags a check-in's answers raise, decided on the phone so the "Call your clinic
// now" screen shows at once, offline. The server decides again with the same rule
// (server/domain/checkins.py); tests/test_red_flag_parity.py holds the two to it.

// rules: the protocol bundle's checkin.red_flags; answers: question id -> "yes"/"no", an
// option's value or 0-10; day: the day after the latest session (day 1: the day it ended).
export function raised(rules, answers, day) {
  return rules.filter((rule) => raisedBy(rule, answers, day)).map((rule) => rule.id);
}

function raisedBy(rule, answers, day) {
  if (day < (rule.from_day ?? 1) || !Object.hasOwn(answers, rule.question)) return false;
  const value = answers[rule.question];
  if (rule.at_least !== undefined) return Number.isInteger(value) && value >= rule.at_least;
  return (rule.answers ?? []).includes(value);
}
