"""Storage: SQLAlchemy models, the engine factory with migrations, and data functions.

Data functions take a session and never open one; callers own the
transaction (`with db.begin() as session: ...`).
"""
