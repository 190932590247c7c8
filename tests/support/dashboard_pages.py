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

# The pages that show a plan's warnings, for a client whose plan has some (`{client}`), each
# with the markup that shows them: the client's page, and the call list's reason to call.
WARNED_CLIENT_PAGES = {
    "/clinic/clients/{client}": '<p class="warning" data-code="task_after_bedtime">',
    "/clinic/": '<li data-kind="schedule">',
}
