"""The small test checklist of the inspection tests, for the pre-event inspections."""

from xiaoan.inspections.tests.support import checklist  # noqa: F401
