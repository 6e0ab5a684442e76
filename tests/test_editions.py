"""Form editions the corpus has no page of, built from a real EDGAR page by the rules in
SPEC-form345.md, to prove a new edition is a descriptor, not code.

* X0609 (2026): "2a. Foreign Trading Symbol" box, a (Country) line, the state as a full name.
"""
from __future__ import annotations

from extractor import extract, extract_bytes, to_xml


def to_x0609(page: str) -> str:
    """374Water's real X0508 page, re-rendered the way SPEC §6.1 item 4 describes X0609."""
    page = page.replace('<span class="FormData">NC</span>', '<span class="FormData">NORTH CAROLINA</span>')
    zip_labels = page.index('class="MedSmallFormText">(Zip)</td>')
    end = page.index("</table>", zip_labels) + len("</table>")
    country = ('<hr width="98%"><table border="0" width="100%"><tr><td><span class="FormData">UNITED STATES'
               '</span></td></tr></table><table border="0" width="100%"><tr><td class="MedSmallFormText">'
               '(Country)</td></tr></table>')
    page = page[:end] + country + page[end:]
    box3 = page.index('<tr><td valign="top">\n<span class="MedSmallFormText">3. Date of Earliest')
    box2a = ('<tr><td valign="top"><span class="MedSmallFormText">2a. Foreign Trading Symbol</span><br>'
             '<span class="FormData">SCWOF</span></td></tr>\n')
    page = page[:box3] + box2a + page[box3:]
    return page.replace("</body>", '<span class="SmallFormText">SEC 1474 (03-26)</span></body>')


def test_x0609_edition(corpus, tmp_path):
    path = tmp_path / "x0609.html"
    path.write_text(to_x0609((corpus / "html" / "edgt_374WaterForm4.real.html").read_text()))
    doc = extract(path)
    assert doc.layout == "form4-2026"
    assert doc.issuer.issuer_foreign_trading_symbol.value == "SCWOF"
    assert doc.issuer.issuer_trading_symbol.value == "SCWO"
    owner = doc.reporting_owners[0]
    assert (owner.rpt_owner_city.value, owner.rpt_owner_state.value, owner.rpt_owner_zip_code.value) == \
        ("MORRISVILLE", "NC", "27560")
    assert owner.rpt_owner_country.value == "UNITED STATES"
    assert doc.period_of_report.value.isoformat() == "2025-04-30"
    assert doc.aff10b5_one.value is False
    xml = to_xml(doc)
    assert "<issuerForeignTradingSymbol>SCWOF</issuerForeignTradingSymbol>" in xml
    assert xml.index("<rptOwnerState>NC</rptOwnerState>") < xml.index("<rptOwnerCountry>")
    assert not doc.problems


def test_older_stylesheet_renderings(corpus, scorer, tmp_path):
    """Every XML-era corpus filing rendered the XSL-A way reads back exactly, except the 10b5-1
    flag, which that edition never printed (so it stays unknown)."""
    from tests.xsl_a import render

    checked = 0
    for truth in sorted((corpus / "truth").glob("*.xml")):
        text = truth.read_text()
        if "<schemaVersion>" not in text and "jcl_" not in truth.stem:
            continue  # hand-made legacy truths have no XML-era rendering
        doc = extract_bytes(render(text).encode(), f"{truth.stem}.html")
        assert doc.layout.endswith("-xsl-a"), (truth.stem, doc.layout)
        assert doc.aff10b5_one is None
        pred = tmp_path / truth.name
        pred.write_text(to_xml(doc))
        result = scorer.score_pair(truth, pred)
        assert result["wrong"] == [] and result["extra"] == [], (truth.stem, result["wrong"], result["extra"])
        assert [k for k, _ in result["missing"]] in ([], ["aff10b5One"]), (truth.stem, result["missing"])
        checked += 1
    assert checked >= 30


def test_older_stylesheet_owner_table(corpus):
    from tests.xsl_a import render

    doc = extract_bytes(render((corpus / "truth" / "dsp_form4-regression-test_emb0.xml").read_text()).encode(),
                        "pro-dex-old.html")
    first, second = doc.reporting_owners
    assert first.rpt_owner_name.value == "CABILLOT RAYMOND E"
    assert (first.is_director.value, first.is_ten_percent_owner.value) == (True, True)
    # the owners table, unlike box 5, gives every owner its own relationship
    assert second.rpt_owner_name.value == "FARNAM STREET PARTNERS LP /MN"
    assert (second.is_director.value, second.is_ten_percent_owner.value) == (False, True)
    assert second.rpt_owner_street1.value == "3033 EXCELSIOR BOULEVARD, STE 560"
    assert doc.filed_by_more_than_one.value is True
