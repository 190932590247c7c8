"""marshmallow schemas: validation and documentation of what goes in and out, by audience.

fields: the field types every schema shares. phone: protocols, enrollment, the plan and sync.
push: the phone's reminders. clinic: signing in, clients, their record. export: a client's
own data. protocol_file: the TOML protocol files (protocols/README.md).
"""
