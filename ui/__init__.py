"""Guardian's parent app (PySide6): pages, Qt models, the background-task helper.

It imports `guardian` and never `proxy_addons`: the app and the filter are
separate processes that meet at the database (and at the filter's health page).
`ui/app.py` builds and wires everything; `guardian app` runs it.
"""
