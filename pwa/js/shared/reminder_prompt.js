// What Today's reminder card offers, in the words of this client's own plan: the tasks they do
// most often from now on, never a product their protocol does not use. Pure, for node --test.

import { list, t } from "./i18n.js";

export function reminderPrompt(plan, bundle, now) {
  if (!plan || !bundle) return t("reminders.prompt_generic");
  const titles = new Map((bundle.tasks || []).map((task) => [task.id, task.title]));
  const counts = new Map();  // insertion order: the order the tasks first come
  for (const o of plan.occurrences || []) {
    if (o.optional || Date.parse(o.due_end) <= now || !titles.has(o.task)) continue;
    counts.set(o.task, (counts.get(o.task) || 0) + 1);
  }
  // The most frequent two, each kept in the order it first comes.
  const top = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a)).slice(0, 2);
  const named = [...counts.keys()].filter((id) => top.includes(id)).map((id) => t("quoted", { text: titles.get(id) }));
  return named.length ? t("reminders.prompt_for", { tasks: list(named) }) : t("reminders.prompt_generic");
}
