"""Clients' photos of the treated area: checked and stripped (images.py), kept behind a small
storage interface (storage.py), taken in from the phone (uploads.py) and laid out for the
clinic as a healing timeline (timeline.py)."""
