"""The document model: one pydantic tree mirroring the SEC's ``ownershipDocument``.

Field names are the snake_case of the XML tags (``transaction_shares``,
``shares_owned_following_transaction``). Every leaf is a :class:`Value`: the
typed value, the footnote ids cited on it, where it was read (provenance) and
how sure we are (confidence). Writers (``extractor.writers``) turn this into
XML/JSON; the validator reads it and never changes it.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_serializer
from pydantic.json_schema import SkipJsonSchema

T = TypeVar("T")


class Provenance(BaseModel):
    """Where a value came from, precise enough to show a person."""

    model_config = ConfigDict(frozen=True)
    reader: str
    locator: str  # "table 3 row 4 col 6", "line 12", later "page 1 ..."
    label: str | None = None  # the form label it was read under, e.g. "Table I row 1, 4. Amount"
    text: str | None = None  # the raw text the value was parsed from
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    @model_serializer(mode="wrap")
    def _known(self, handler):
        """Only what is known: a rendering without pages has no page or bbox to write (every value
        of a Markdown filing carried two nulls)."""
        return {key: value for key, value in handler(self).items() if value is not None}

    @property
    def placed(self) -> bool:
        """Read from a place of the rendering (not inferred, not from the SGML header)."""
        return not self.locator.startswith(("inferred", "not found", "SGML header"))


class Value(BaseModel, Generic[T]):
    """A leaf: value (None when the cell holds only footnotes), its footnote ids,
    provenance and confidence in [0, 1]."""

    value: T | None = None
    footnote_ids: list[str] = Field(default_factory=list)
    provenance: Provenance | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    # the indexes of the source pieces it was read from (never serialised; kept when a row model
    # revalidates it): the coverage accounting (extractor.form.coverage) marks their words placed
    pieces: SkipJsonSchema[tuple[int, ...]] = Field(default=(), exclude=True, repr=False)


Text = Value[str]
Number = Value[Decimal]
Day = Value[date]
Flag = Value[bool]


class Issuer(BaseModel):
    issuer_cik: Text | None = None
    issuer_name: Text | None = None
    issuer_trading_symbol: Text | None = None
    issuer_foreign_trading_symbol: Text | None = None


class ReportingOwner(BaseModel):
    rpt_owner_cik: Text | None = None
    rpt_owner_name: Text | None = None
    rpt_owner_street1: Text | None = None
    rpt_owner_street2: Text | None = None
    rpt_owner_city: Text | None = None
    rpt_owner_state: Text | None = None
    rpt_owner_zip_code: Text | None = None
    rpt_owner_country: Text | None = None
    is_director: Flag | None = None  # None: not shown for this owner in the rendering
    is_officer: Flag | None = None
    is_ten_percent_owner: Flag | None = None
    is_other: Flag | None = None
    officer_title: Text | None = None
    other_text: Text | None = None


class SecurityRow(BaseModel):
    """Columns shared by every Table I / Table II row."""

    row: int = 0  # 1-based row number within its table, as a person counts it
    security_title: Text | None = None
    shares_owned_following_transaction: Number | None = None
    value_owned_following_transaction: Number | None = None
    direct_or_indirect_ownership: Text | None = None
    nature_of_ownership: Text | None = None


class TransactionColumns(BaseModel):
    transaction_date: Day | None = None
    deemed_execution_date: Day | None = None
    transaction_form_type: Text | None = None
    transaction_code: Text | None = None  # its footnote ids are transactionCoding's
    equity_swap_involved: Flag | None = None
    transaction_timeliness: Text | None = None  # the "V" column
    transaction_shares: Number | None = None
    transaction_total_value: Number | None = None
    transaction_price_per_share: Number | None = None
    transaction_acquired_disposed_code: Text | None = None


class DerivativeColumns(BaseModel):
    conversion_or_exercise_price: Number | None = None
    exercise_date: Day | None = None
    expiration_date: Day | None = None
    underlying_security_title: Text | None = None
    underlying_security_shares: Number | None = None
    underlying_security_value: Number | None = None


class NonDerivativeTransaction(TransactionColumns, SecurityRow):
    pass


class NonDerivativeHolding(SecurityRow):
    transaction_form_type: Text | None = None
    transaction_code: Text | None = None  # Form 5 late Form 3 holdings: coding footnotes only


class DerivativeTransaction(TransactionColumns, DerivativeColumns, SecurityRow):
    pass


class DerivativeHolding(DerivativeColumns, SecurityRow):
    transaction_form_type: Text | None = None
    transaction_code: Text | None = None  # Form 5 late Form 3 holdings: coding footnotes only


class Footnote(BaseModel):
    id: str
    text: str
    provenance: Provenance | None = None
    confidence: float = 1.0
    pieces: SkipJsonSchema[tuple[int, ...]] = Field(default=(), exclude=True, repr=False)  # as Value.pieces


class Signature(BaseModel):
    signature_name: Text | None = None
    signature_date: Day | None = None


class Corrections(BaseModel):
    """A person's corrections replayed onto the reading: the review journal they come from
    (``FILE.form4-review.jsonl`` beside the filing, matched by the filing's content hash) and how
    many were applied."""

    journal: str
    applied: int


class Problem(BaseModel):
    """Something the extractor noticed and could not resolve (not a validator finding)."""

    kind: str  # "missing_box", "extra_column", "unparsed_value", ...
    message: str
    locator: str | None = None


class Finding(BaseModel):
    """What the validator found wrong or odd: never a change, only a report."""

    rule: str  # "S7", "H1", ...
    severity: Literal["error", "warning", "info"]
    message: str
    fields: list[str] = Field(default_factory=list)  # field paths (extractor.paths)
    values: dict[str, str] = Field(default_factory=dict)  # what was seen
    expected: str | None = None  # what the rule expected, when it can say


class OwnershipDocument(BaseModel):
    """A Form 3/4/5 (or /A) as the SEC's XML would state it."""

    # the verdict on the whole document (extractor.validate.verdict), first in the JSON: "ok" when
    # every data word of the rendering was read and nothing beyond the flagged fields needs a look;
    # "review" when a person must look at the document itself; "not_understood" when most of it was
    # not read (every value is then under review)
    status: Literal["ok", "review", "not_understood"] = "ok"
    coverage: float | None = None  # share of the rendering's data words read into a field
    corrections: Corrections | None = None  # a review journal replayed onto the reading, when one was
    schema_version: str | None = None
    document_type: Text
    period_of_report: Day | None = None
    date_of_original_submission: Day | None = None
    no_securities_owned: Flag | None = None
    not_subject_to_section16: Flag | None = None
    form3_holdings_reported: Flag | None = None
    form4_transactions_reported: Flag | None = None
    issuer: Issuer = Field(default_factory=Issuer)
    # the schema allows 10 owners and 10 signatures; real pages show more (a 12-owner Form 3 in SPEC §0),
    # so everything read is kept and the validator (S8) flags the excess
    reporting_owners: list[ReportingOwner] = Field(default_factory=list)
    aff10b5_one: Flag | None = None  # None: the form edition has no 10b5-1 box (unknown)
    non_derivative_transactions: list[NonDerivativeTransaction] = Field(default_factory=list)
    non_derivative_holdings: list[NonDerivativeHolding] = Field(default_factory=list)
    derivative_transactions: list[DerivativeTransaction] = Field(default_factory=list)
    derivative_holdings: list[DerivativeHolding] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    remarks: Text | None = None
    owner_signatures: list[Signature] = Field(default_factory=list)
    # printed on the form but not an XML element: box 6 (derived from the owner count)
    filed_by_more_than_one: Flag | None = None
    # where it came from
    header: dict[str, str] = Field(default_factory=dict)  # an EDGAR submission's SGML header, as read
    source: str = ""
    reader: str = ""
    layout: str = ""
    problems: list[Problem] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    @property
    def form(self) -> Literal["3", "4", "5"]:
        return (self.document_type.value or "4")[0]  # type: ignore[return-value]
