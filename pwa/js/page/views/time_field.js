// A time of day the same on every phone: hour 00–23 and minutes, never AM/PM whatever the
// browser's language (<input type=time> follows it). Values in and out are "HH:MM", or null
// for an optional time left empty.
import { h } from "../dom.js";

const pad = (n) => String(n).padStart(2, "0");
const HOURS = Array.from({ length: 24 }, (_, n) => pad(n));
const MINUTES = Array.from({ length: 12 }, (_, n) => pad(n * 5));

function select(id, label, values, chosen, optional) {
  // A minute saved off the 5-minute steps (an older app's) stays as it was.
  const all = chosen && !values.includes(chosen) ? [...values, chosen].sort() : values;
  const control = h("select", { id, required: !optional },
    optional && h("option", { value: "" }, "--"),
    all.map((value) => h("option", { value, selected: value === chosen }, value)));
  return h("label", { for: id }, label, control);
}

// { element, value(): "HH:MM" | null | undefined (half chosen), selects }
export function timeField({ id, legend, value, optional = false }) {
  const [hour, minute] = value ? value.split(":") : ["", ""];
  const hours = select(`${id}-hour`, "Hour", HOURS, hour, optional);
  const minutes = select(`${id}-minute`, "Minutes", MINUTES, minute, optional);
  const element = h("fieldset", { class: "time", id },
    h("legend", {}, legend),
    h("div", { class: "clock" }, hours, h("span", { class: "colon", "aria-hidden": "true" }, ":"), minutes));
  const read = () => {
    const [hh, mm] = [hours.lastChild.value, minutes.lastChild.value];
    if (!hh && !mm) return null;
    return hh && mm ? `${hh}:${mm}` : undefined;
  };
  return { element, value: read };
}
