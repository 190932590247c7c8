"""Input an attacker would send: control characters, markup, and push endpoints that point
into the server's own network."""

CONTROLS = ["\x00", "\n", "\x1f", "\x85", "\u202e"]  # NUL, a newline, C0, C1, bidi
MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
# (endpoint, a word the refusal must contain)
HOSTILE = [
    ("http://fcm.googleapis.com/fcm/send/x", "https"),
    ("ftp://fcm.googleapis.com/x", "https"),
    ("file:///etc/passwd", "https"),
    ("gopher://fcm.googleapis.com:70/x", "https"),
    ("javascript:alert(1)", "https"),
    ("", "https"),
    ("https://fcm.googleapis.com:8443/x", "standard https port"),
    ("https://fcm.googleapis.com:80/x", "standard https port"),
    ("https://fcm.googleapis.com:99999/x", "not a valid URL"),
    ("https://127.0.0.1/x", "not an address"),
    ("https://[::1]/x", "not an address"),
    ("https://169.254.169.254/latest/meta-data/", "not an address"),
    ("https://10.0.0.5/x", "not an address"),
    ("https://192.168.1.1/x", "not an address"),
    ("https://172.16.0.1/x", "not an address"),
    ("https://100.64.0.1/x", "not an address"),
    ("https://2130706433/x", "not an address"),  # 127.0.0.1 as one decimal number
    ("https://0177.0.0.1/x", "not an address"),  # octal
    ("https://0x7f.0.0.1/x", "not an address"),  # hexadecimal
    ("https://127.1/x", "not an address"),  # short form
    ("https://[::ffff:127.0.0.1]/x", "not an address"),  # IPv4-mapped IPv6
    ("https://[64:ff9b::a9fe:a9fe]/x", "not an address"),  # NAT64 of the metadata service
    ("https://[fe80::1%25eth0]/x", "not an address"),
    ("https://localhost/x", "not a known push service"),
    ("https://fcm.googleapis.com@evil.example/x", "user name"),
    ("https://user:secret@fcm.googleapis.com/x", "user name"),
    ("https://fcm.googleapis.com\\@evil.example/x", "user name"),
    ("https://evil.example#@fcm.googleapis.com/", "not a known push service"),
    ("https://fcm.googleapis.com.example.net/x", "not a known push service"),
    ("https://fcm-googleapis.com/x", "not a known push service"),
    ("https://xfcm.googleapis.com/x", "not a known push service"),
    ("https://push.services.mozilla.com.evil.com/x", "not a known push service"),
    ("https://web.push.apple.com:444/x", "standard https port"),
    ("https://" + "a" * 2100 + ".push.apple.com/x", "at most 2048"),
]
