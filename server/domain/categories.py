"""The kinds of restriction the app knows: each has an icon and a heading on the Avoid screen.

protocols/README.md lists them, the protocol schema refuses any other, and
pwa/js/shared/categories.js draws them (a test holds the two lists together).
"""

from __future__ import annotations

# id -> the heading the client reads above that group's restrictions
CATEGORIES = {
    "water": "Water",
    "touch": "Touching",
    "products": "Products",
    "sweat": "Sweat",
    "exercise": "Exercise",
    "sun": "Sun",
    "swimming": "Swimming",
    "shaving": "Shaving",
    "colouring": "Colouring",
}
