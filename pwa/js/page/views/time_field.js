// A time of day the same on every phone: hour 00–23 and minutes, never AM/PM whatever the
// browser's language (<input type=time> follows it). Values in and out are "HH:MM", or null
// for an optional time left empty.
import { h, said } from "../dom.js";

const pad = (n) => String(n).padStart(2, "0");
const HOURS = Array.from({ length: 24 }, (_, n) => pad(n));
const MINUTES = Array.from({ length: 12 }, (_, n) => pad(n * 5));

function select(id, values, chosen, optional) {
  // A minute saved off the 5-minute steps (an older app's) stays as it was.
  const all = chosen && !values.includes(chosen) ? [...values, chosen].sort() : values;
  return h("select", { id, required: !optional },
    optional && h("option", { value: "" }, "--"),
    all.map((value) => h("option", { value, selected: value === chosen }, value)));
}

// { element, value(): "HH:MM", null (optional, left empty) or undefined (half chosen) }
export function timeField({ id, legend, value, optional = false }) {
  const [hour, minute] = value ? value.split(":") : ["", ""];
  const hours = select(`${id}-hour`, HOURS, hour, optional);
  const minutes = select(`${id}-minute`, MINUTES, minute, optional);
  const element = h("fieldset", { class: "time", id },
    h("legend", {}, legend),
    h("div", { class: "clock" },
      h("label", { for: hours.id }, said("time.hour"), hours),
      h("span", { class: "colon", "aria-hidden": "true" }, ":"),
      h("label", { for: minutes.id }, said("time.minutes"), minutes)));
  const read = () => {
    if (!hours.value && !minutes.value) return null;
    return hours.value && minutes.value ? `${hours.value}:${minutes.value}` : undefined;
  };
  return { element, value: read };
}
