"""What the clinic does, inside its own walls (scope.py).

scope: tenant isolation. auth: signing in and out. staff: the clinic's clinicians. audit: who
saw or changed what. clients: adding and editing clients, sessions, phones. client_record: one
client's record and page. adherence: how closely clients follow their plans, counted in SQL.
summaries: each client's stored line, kept current. client_list: the list everyone reads.
exports: CSV. deletion: deleting a client. demo: a demo clinic. paging: a page of a list.
"""
