"""Row helpers shared by the rules: every table row with its path and kind."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..model import OwnershipDocument, SecurityRow, Value
from ..paths import ROW_LISTS


@dataclass
class RowRef:
    path: str  # "non_derivative_transactions[0]"
    row: SecurityRow
    table: str  # "I" or "II"
    transaction: bool

    @property
    def derivative(self) -> bool:
        return self.table == "II"

    def field(self, name: str) -> str:
        return f"{self.path}.{name}"

    def get(self, name: str) -> Value | None:
        return self.row.__dict__.get(name)  # a field this row kind lacks is None (no AttributeError to raise)

    def label(self) -> str:
        kind = "" if self.transaction else " holding"
        return f"Table {self.table}{kind} row {self.row.row or ''}".rstrip()


def rows(doc: OwnershipDocument) -> Iterator[RowRef]:
    for name in ROW_LISTS:
        for i, row in enumerate(getattr(doc, name)):
            yield RowRef(f"{name}[{i}]", row, "II" if name.startswith("derivative") else "I",
                         name.endswith("transactions"))


def number_fields(ref: RowRef) -> Iterator[tuple[str, Value]]:
    for name in ("transaction_shares", "transaction_total_value", "transaction_price_per_share",
                 "shares_owned_following_transaction", "value_owned_following_transaction",
                 "conversion_or_exercise_price", "underlying_security_shares", "underlying_security_value"):
        value = ref.get(name)
        if value is not None:
            yield name, value
