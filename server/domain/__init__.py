"""Pure domain logic: protocol model, plan engine and sync rules.

Standard library only (no Flask, SQLAlchemy or marshmallow); time comes in as arguments.
"""
