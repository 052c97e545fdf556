"""Checks, one module per topic; each binds itself to a rule file with ``@rule``."""
