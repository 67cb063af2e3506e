"""The dashboard's rollups (xiaoan.reports.rollups): derived figures kept by the services of
the apps that own the records; nothing here is entered by people."""

from __future__ import annotations

from django.db import models


class Rollup(models.Model):
    """One app's dashboard counters for one unit: `own` counts the unit's own records,
    `subtree` those of the unit and everything below it, `ranked` the subtree's counters a
    ranking compares (a ranking reads hundreds of rows; a small value is read in place where
    the whole `subtree` must be decompressed). Flat counters, named by each app's tally."""

    kind = models.CharField(max_length=30)  # the tally: "hazards", "inspections", …
    # Indexed by `rollup_unit_ranked` below.
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    own = models.JSONField(default=dict)
    subtree = models.JSONField(default=dict)
    ranked = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "unit"], name="rollup_kind_unit"),
        ]
        indexes = [
            # A ranking reads every kind's `ranked` of hundreds of units: from the index alone
            # on PostgreSQL (a heap fetch per row was most of a district's read).
            models.Index(fields=["unit"], include=["kind", "ranked"], name="rollup_unit_ranked"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.unit_id}"
