"""Every page of the dashboard a signed-in admin can open, for the tests that walk them all
(axe-core in tests/browser, the pseudo-locale in tests/dashboard). `{client}` and `{session}`
stand for a client of the clinic and one of their sessions."""

DASHBOARD_PAGES = (
    "/clinic/",
    "/clinic/?flag=all",
    "/clinic/?flag=expired",
    "/clinic/?q=nobody-is-called-this",
    "/clinic/clients/new",
    "/clinic/clients/{client}",
    "/clinic/clients/{client}/handout",
    "/clinic/clients/{client}/sessions/{session}/cancel",
    "/clinic/clients/{client}/sessions/{session}/final",
    "/clinic/clients/{client}/delete",
    "/clinic/password",
    "/clinic/admin/clinicians",
    "/clinic/admin/audit",
    "/clinic/admin/protocols",
    "/clinic/admin/settings",
)
