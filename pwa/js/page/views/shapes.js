// The app's drawings: today's ring and the calendar's day squares, as inline SVG. Colours come
// from app.css classes (its light and dark variables); the page's CSP allows no inline style.
import { h, said } from "../dom.js";
import { t } from "../../shared/i18n.js";

const NS = "http://www.w3.org/2000/svg";

export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

// Today's required tasks as a ring: done from the top, then missed; the numbers in the middle.
export function ring({ done, missed, total, label }) {
  const r = 21;
  const round = 2 * Math.PI * r;
  const arc = (share, from, part) => share > 0 && svg("circle", {
    class: `ring-${part}`, cx: 28, cy: 28, r, fill: "none", "stroke-width": 7,
    "stroke-dasharray": `${round * share} ${round}`, "stroke-dashoffset": `${-round * from}`,
    transform: "rotate(-90 28 28)",
  });
  return svg("svg", { class: "ring", viewBox: "0 0 56 56", width: 52, height: 52, role: "img", "aria-label": label },
    svg("circle", { class: "ring-track", cx: 28, cy: 28, r, fill: "none", "stroke-width": 7 }),
    arc(done / total, 0, "done"),
    arc(missed / total, done / total, "missed"),
    svg("text", { x: 28, y: 33, "text-anchor": "middle", class: "ring-text", "aria-hidden": "true" }, `${done}/${total}`));
}

// How the clinic's calendar (server/dashboard/heatmap.py) draws each state: how much of the
// square is inked from the bottom, its outline, and a tick or a cross, so no state rests on
// colour alone.
const LOOKS = {
  all: { quarters: 4, mark: "tick" },
  most: { quarters: 3 },
  some: { quarters: 2 },
  none: { quarters: 0, mark: "cross" },
  upcoming: { quarters: 0, dashed: true },
  "no-tasks": { quarters: 0 },
};

export function square(state, { session = false, today = false, size = 26 } = {}) {
  const look = LOOKS[state];
  const pad = 4;
  const box = size + 2 * pad;
  const at = (u, v) => `${pad + u * size} ${pad + v * size}`;
  const inked = size * look.quarters / 4;
  return svg("svg", { class: `square ${state}`, width: box, height: box, viewBox: `0 0 ${box} ${box}`, "aria-hidden": "true", focusable: "false" },
    svg("rect", { class: "sq-paper", x: pad, y: pad, width: size, height: size }),
    inked > 0 && svg("rect", { class: "sq-ink", x: pad, y: pad + size - inked, width: size, height: inked }),
    svg("rect", {
      class: "sq-edge", x: pad + 1, y: pad + 1, width: size - 2, height: size - 2, fill: "none", "stroke-width": 2,
      ...(look.dashed ? { "stroke-dasharray": "4 3" } : {}),
    }),
    look.mark === "tick" && svg("path", { class: "sq-tick", d: `M${at(0.25, 0.52)} L${at(0.43, 0.7)} L${at(0.76, 0.32)}`, fill: "none", "stroke-width": size / 10, "stroke-linecap": "round", "stroke-linejoin": "round" }),
    look.mark === "cross" && svg("path", { class: "sq-cross", d: `M${at(0.3, 0.3)} L${at(0.7, 0.7)} M${at(0.7, 0.3)} L${at(0.3, 0.7)}`, fill: "none", "stroke-width": size / 10, "stroke-linecap": "round" }),
    session && svg("circle", { class: "sq-session", cx: pad + size * 0.8, cy: pad + size * 0.2, r: size * 0.12, "stroke-width": 1.5 }),
    today && svg("rect", { class: "sq-today", x: 1.5, y: 1.5, width: box - 3, height: box - 3, fill: "none", "stroke-width": 2 }));
}

// The key: every state, the session dot and today's ring, each beside its square.
export function legend(states) {
  const entries = [
    ...states.map(({ state, meaning }) => [square(state, { size: 18 }), meaning]),
    [square("upcoming", { size: 18, session: true }), said("calendar.key_session")],
    [square("upcoming", { size: 18, today: true }), said("calendar.key_today")],
  ];
  return h("ul", { class: "cal-legend", "aria-label": t("calendar.key") },
    entries.map(([drawn, meaning]) => h("li", {}, drawn, meaning)));
}
