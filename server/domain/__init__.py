"""Pure domain logic, standard library only (no Flask, SQLAlchemy or marshmallow); the time
comes in as an argument.

protocol: the protocol model. timeline: sessions, windows and intervals in a client's zone.
slots: the waking day and where tasks fit in it. plan: the plan engine, with spacing (how
sessions sit against each other) and milestones (when restrictions lift). sync: the event fold,
batches and cursors. occurrence: the state of one occurrence. reminders: which reminders a
client gets. errors: what a use case can refuse.
"""
