from .support import rule_condition  # noqa: F401
