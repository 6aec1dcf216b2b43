"""The main window's pages, one module each; `ui/app.py` adds each with one line."""
