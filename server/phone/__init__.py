"""What a client's phone does: enrollment (a one-time link becomes a device), devices and their
tokens, sync (ticks in, everyone's ticks out), my_data (export, asking to be deleted), and
app_shell (the app's own files, served)."""
