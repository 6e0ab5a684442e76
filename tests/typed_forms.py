"""The era-B (Aug 2002 to mid-2003) Forms 3, 4 and 5 as filers typed them: title, boxes in their
order, and the tables' columns, each label in three wordings (as printed, abbreviated as typists
shortened it, and the short word some used alone). SPEC-form345.md §1.1, §1.2, §2."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    field: str  # model field; "@A"/"@D": the amount when the row's code is A/D
    sub: str = ""  # its sub-label under a numbered label ("Code", "(A) or (D)")
    kind: str = "number"  # text, number, date, code
    value_field: str = ""  # typed here when the field is empty (a value instead of shares)
    price: bool = False


@dataclass(frozen=True)
class Group:
    number: str
    full: str
    abbreviated: str
    short: str
    columns: tuple[Column, ...]

    def words(self, wording: str) -> str:
        return {"full": self.full, "abbreviated": self.abbreviated, "short": self.short}[wording]


@dataclass(frozen=True)
class Box:
    number: str
    label: str
    kind: str  # owner, issuer, irs, period, amendment, relationship, joint


@dataclass(frozen=True)
class Form:
    name: str
    title: str
    checkboxes: tuple[tuple[str, str], ...]  # (label, document field) typed top left
    boxes: tuple[Box, ...]
    table1_title: str
    table1: tuple[Group, ...]
    table2_title: str
    table2: tuple[Group, ...]
    split_at: int = 0  # Table II typed in two blocks: the first group of the second block


def _g(number, full, abbreviated, short, *columns):
    return Group(number, full, abbreviated, short, tuple(columns))


TITLE = Column("security_title", kind="text")
OWNERSHIP = Column("direct_or_indirect_ownership", kind="code")
NATURE = Column("nature_of_ownership", kind="text")
DATE = Column("transaction_date", kind="date")
DEEMED = Column("deemed_execution_date", kind="date")
CODE = Column("transaction_code", "Code", kind="code")
V = Column("transaction_timeliness", "V", kind="code")
EXERCISE = Column("conversion_or_exercise_price", price=True)
DATES_EX = (Column("exercise_date", "Date Exercisable", kind="date"),
            Column("expiration_date", "Expiration Date", kind="date"))
UNDERLYING = (Column("underlying_security_title", "Title", kind="text"),
              Column("underlying_security_shares", "Amount or Number of Shares", value_field="underlying_security_value"))
AMOUNTS = (Column("transaction_shares", "Amount", value_field="transaction_total_value"),
           Column("transaction_acquired_disposed_code", "(A) or (D)", kind="code"),
           Column("transaction_price_per_share", "Price", price=True))
OWNED = Column("shares_owned_following_transaction", value_field="value_owned_following_transaction")

_CHECK16 = ("Check this box if no longer subject to Section 16. Form 4 or Form 5 obligations may continue. "
            "See Instruction 1(b).", "not_subject_to_section16")
_OWNER = Box("1", "Name (Last, First Middle) and Address of Reporting Person*", "owner")
_ISSUER = "Issuer Name and Ticker or Trading Symbol"
_IRS = "IRS Identification Number of Reporting Person, if an entity (Voluntary)"
_RELATION = "Relationship of Reporting Person(s) to Issuer (Check all applicable)"
_AMEND = "If Amendment, Date of Original (Month/Day/Year)"


def _transactions(end: str, end_short: str, coded: tuple[Column, ...]) -> tuple[tuple[Group, ...], tuple]:
    t1 = (_g("1", "Title of Security (Instr. 3)", "Title of Sec.", "Security", TITLE),
          _g("2", "Transaction Date (Month/Day/Year)", "Trans. Date", "Date", DATE),
          _g("2A", "Deemed Execution Date, if any (Month/Day/Year)", "Deemed Exec. Date", "Deemed Date", DEEMED),
          _g("3", "Transaction Code (Instr. 8)", "Trans. Code", "Code", *coded),
          _g("4", "Securities Acquired (A) or Disposed of (D) (Instr. 3, 4 and 5)",
             "Sec. Acquired (A) or Disposed of (D)", "Acquired (A) or Disposed of (D)", *AMOUNTS),
          _g("5", f"Amount of Securities Beneficially Owned {end} (Instr. 3 and 4)",
             f"Amt. of Sec. Benefic. Owned {end_short}", "Amount Owned", OWNED),
          _g("6", "Ownership Form: Direct (D) or Indirect (I) (Instr. 4)", "Ownership Form: D or I",
             "Direct (D) or Indirect (I)", OWNERSHIP),
          _g("7", "Nature of Indirect Beneficial Ownership (Instr. 4)", "Nature of Indirect Benef. Ownership",
             "Nature of Ownership", NATURE))
    t2 = (_g("1", "Title of Derivative Security (Instr. 3)", "Title of Deriv. Sec.", "Derivative Security", TITLE),
          _g("2", "Conversion or Exercise Price of Derivative Security", "Conv. or Exer. Price of Deriv. Sec.",
             "Exercise Price", EXERCISE),
          _g("3", "Transaction Date (Month/Day/Year)", "Trans. Date", "Date", DATE),
          _g("3A", "Deemed Execution Date, if any (Month/Day/Year)", "Deemed Exec. Date", "Deemed Date", DEEMED),
          _g("4", "Transaction Code (Instr. 8)", "Trans. Code", "Code", *coded),
          _g("5", "Number of Derivative Securities Acquired (A) or Disposed of (D) (Instr. 3, 4 and 5)",
             "No. of Deriv. Sec. Acquired (A) or Disposed of (D)", "Acquired (A) or Disposed of (D)",
             Column("@A", "(A)"), Column("@D", "(D)")),
          _g("6", "Date Exercisable and Expiration Date (Month/Day/Year)", "Date Exer. and Exp. Date",
             "Exercisable and Expiration", *DATES_EX),
          _g("7", "Title and Amount of Underlying Securities (Instr. 3 and 4)", "Title and Amt. of Underlying Sec.",
             "Underlying Securities", *UNDERLYING),
          _g("8", "Price of Derivative Security (Instr. 5)", "Price of Deriv. Sec.", "Price",
             Column("transaction_price_per_share", price=True)),
          _g("9", f"Number of Derivative Securities Beneficially Owned {end} (Instr. 4)",
             f"No. of Deriv. Sec. Benefic. Owned {end_short}", "Number Owned", OWNED),
          _g("10", "Ownership Form of Derivative Security: Direct (D) or Indirect (I) (Instr. 4)",
             "Ownership Form of Deriv. Sec.: D or I", "Direct (D) or Indirect (I)", OWNERSHIP),
          _g("11", "Nature of Indirect Beneficial Ownership (Instr. 4)", "Nature of Indirect Benef. Ownership",
             "Nature of Ownership", NATURE))
    return t1, t2


_T4 = _transactions("Following Reported Transaction(s)", "Following Rep. Trans.", (CODE, V))
_T5 = _transactions("at End of Issuer's Fiscal Year", "at End of Year", (Column("transaction_code", kind="code"),))

FORMS: dict[str, Form] = {
    "4": Form("4", "STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP", (_CHECK16,),
              (_OWNER, Box("2", _ISSUER, "issuer"), Box("3", _IRS, "irs"),
               Box("4", "Statement for Month/Day/Year", "period"), Box("5", _AMEND, "amendment"),
               Box("6", _RELATION, "relationship"),
               Box("7", "Individual or Joint/Group Filing (Check Applicable Line)", "joint")),
              "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned", _T4[0],
              "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned "
              "(e.g., puts, calls, warrants, options, convertible securities)", _T4[1], split_at=6),
    "5": Form("5", "ANNUAL STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP",
              (_CHECK16, ("Form 3 Holdings Reported", "form3_holdings_reported"),
               ("Form 4 Transactions Reported", "form4_transactions_reported")),
              (_OWNER, Box("2", _ISSUER, "issuer"), Box("3", _IRS, "irs"),
               Box("4", "Statement for Issuer's Fiscal Year Ended (Month/Day/Year)", "period"),
               Box("5", _AMEND, "amendment"), Box("6", _RELATION, "relationship"),
               Box("7", "Individual or Joint/Group Reporting (Check Applicable Line)", "joint")),
              "Table I - Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned", _T5[0],
              "Table II - Derivative Securities Acquired, Disposed of, or Beneficially Owned "
              "(e.g., puts, calls, warrants, options, convertible securities)", _T5[1], split_at=6),
    "3": Form("3", "INITIAL STATEMENT OF BENEFICIAL OWNERSHIP OF SECURITIES", (),
              (_OWNER, Box("2", "Date of Event Requiring Statement (Month/Day/Year)", "period"),
               Box("3", _IRS, "irs"), Box("4", _ISSUER, "issuer"), Box("5", _RELATION, "relationship"),
               Box("6", _AMEND, "amendment"),
               Box("7", "Individual or Joint/Group Filing (Check Applicable Line)", "joint")),
              "Table I - Non-Derivative Securities Beneficially Owned",
              (_g("1", "Title of Security (Instr. 4)", "Title of Sec.", "Security", TITLE),
               _g("2", "Amount of Securities Beneficially Owned (Instr. 4)", "Amt. of Sec. Benefic. Owned",
                  "Amount Owned", OWNED),
               _g("3", "Ownership Form: Direct (D) or Indirect (I) (Instr. 5)", "Ownership Form: D or I",
                  "Direct (D) or Indirect (I)", OWNERSHIP),
               _g("4", "Nature of Indirect Beneficial Ownership (Instr. 5)", "Nature of Indirect Benef. Ownership",
                  "Nature of Ownership", NATURE)),
              "Table II - Derivative Securities Beneficially Owned "
              "(e.g., puts, calls, warrants, options, convertible securities)",
              (_g("1", "Title of Derivative Security (Instr. 4)", "Title of Deriv. Sec.", "Derivative Security",
                  TITLE),
               _g("2", "Date Exercisable and Expiration Date (Month/Day/Year)", "Date Exer. and Exp. Date",
                  "Exercisable and Expiration", *DATES_EX),
               _g("3", "Title and Amount of Securities Underlying Derivative Security (Instr. 4)",
                  "Title and Amt. of Sec. Underlying Deriv. Sec.", "Underlying Securities", *UNDERLYING),
               _g("4", "Conversion or Exercise Price of Derivative Security", "Conv. or Exer. Price of Deriv. Sec.",
                  "Exercise Price", EXERCISE),
               _g("5", "Ownership Form of Derivative Security: Direct (D) or Indirect (I) (Instr. 5)",
                  "Ownership Form of Deriv. Sec.: D or I", "Direct (D) or Indirect (I)", OWNERSHIP),
               _g("6", "Nature of Indirect Beneficial Ownership (Instr. 5)", "Nature of Indirect Benef. Ownership",
                  "Nature of Ownership", NATURE))),
}
