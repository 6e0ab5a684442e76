"""Ruled tables from a page's ruling lines (a PDF's drawn rules, or rules found in a scan's image):
pdfplumber's table finder, its steps and default tolerances, with its two costly steps (snapping and
joining the rules, finding each crossing's cell) done here to the same results in less time, and a
row a page break cut closed with the rule the next page has."""
from __future__ import annotations


def close_cut_rows(edges: list[dict]) -> list[dict]:
    """EDGES with a rule drawn where a page break cut a table row: the row's column rules run on
    to the page's edge, but its bottom rule is on the next page (and the rest of the row under a
    rule-less top there). Without it the table finder drops the cut row, and its values with it."""
    horizontal = [e for e in edges if e["orientation"] == "h"]
    vertical = [e for e in edges if e["orientation"] == "v"]
    added: list[dict] = []
    for end in ("bottom", "top"):
        groups: dict[int, list[dict]] = {}
        for e in vertical:
            groups.setdefault(round(e[end] / 2), []).append(e)
        for group in groups.values():
            if len(group) < 2:
                continue
            y = sum(e[end] for e in group) / len(group)
            x0, x1 = min(e["x0"] for e in group), max(e["x0"] for e in group)
            closed = any(abs(h["top"] - y) <= 3 and h["x0"] <= x0 + 3 and h["x1"] >= x1 - 3 for h in horizontal + added)
            # a cut row: one ruled line above (below) the open end crosses all of its column rules,
            # so they are one table's, not the sides of boxes that happen to end level
            crossed = any(all(h["x0"] - 3 <= v["x0"] <= h["x1"] + 3 and v["top"] + 3 < h["top"] < v["bottom"] - 3
                              for v in group) for h in horizontal)
            if not closed and crossed:
                added.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
                              "orientation": "h", "object_type": "line"})
    return edges + added


def tables_from_edges(edges: list[dict]) -> list:
    """Ruled tables from ruling lines found in an image (what ``page.find_tables`` does with a
    page's drawn lines), with pdfplumber's own table finder steps and default tolerances."""
    from pdfplumber import table as ptable
    from pdfplumber.utils import filter_edges

    edges = filter_edges(close_cut_rows(merge_edges(edges, 3)), min_length=3)
    cells = intersections_to_cells(ptable.edges_to_intersections(edges, 3, 3))
    return [ptable.Table(None, group) for group in ptable.cells_to_tables(cells)]


def merge_edges(edges: list[dict], tolerance: float) -> list[dict]:
    """pdfplumber's ``merge_edges`` with its snap and join tolerances all TOLERANCE, on the edges
    :func:`pdfium_page.edges` gives (no ``doctop``, ``y0``): rules within TOLERANCE of one another
    snapped to their mean position, then rules on one line that touch or nearly touch joined. The
    same edges in the same order, each made once instead of through pdfplumber's generic object
    copies."""
    snapped = []
    for orientation, attr, moved in (("v", "x0", ("x0", "x1")), ("h", "top", ("top", "bottom"))):
        group = [e for e in edges if e["orientation"] == orientation]
        values = sorted({e[attr] for e in group})
        cluster_of: dict[float, int] = {}
        n, last = 0, None
        for x in values:  # clusters chained at TOLERANCE, as pdfplumber's cluster_list
            if last is not None and x > last + tolerance:
                n += 1
            cluster_of[x] = n
            last = x
        clusters: dict[int, list[dict]] = {}
        for e in sorted(group, key=lambda e: cluster_of[e[attr]]):  # stable, as pdfplumber's sort
            clusters.setdefault(cluster_of[e[attr]], []).append(e)
        for members in clusters.values():
            mean = sum(e[attr] for e in members) / len(members)
            for e in members:
                shift = mean - e[attr]
                snapped.append({**e, moved[0]: e[moved[0]] + shift, moved[1]: e[moved[1]] + shift})
    out: list[dict] = []
    lines: dict[tuple, list[dict]] = {}
    for e in sorted(snapped, key=lambda e: ("h", e["top"]) if e["orientation"] == "h" else ("v", e["x0"])):
        lines.setdefault(("h", e["top"]) if e["orientation"] == "h" else ("v", e["x0"]), []).append(e)
    for (orientation, _at), members in lines.items():
        low, high, size = ("x0", "x1", "width") if orientation == "h" else ("top", "bottom", "height")
        joined = []
        for e in sorted(members, key=lambda e: e[low]):
            if joined and e[low] <= joined[-1][high] + tolerance:
                last = joined[-1]
                if e[high] > last[high]:
                    grown = e[high] - last[high]
                    joined[-1] = {**last, high: e[high],
                                  size: e[high] - last[low] if orientation == "h" else last[size] + grown}
            else:
                joined.append(e)
        out += joined
    return out


def intersections_to_cells(intersections: dict) -> list[tuple]:
    """pdfplumber's ``intersections_to_cells`` (each crossing of rules -> the smallest cell with it
    as top-left corner whose four sides are drawn), the same cells in the same order, with each
    point's rules gathered once and its neighbours below and to the right looked up by column and
    row instead of among all later points (a ruled form page has hundreds of crossings)."""
    def bboxes(edges: list[dict]) -> set:
        return {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges}

    vertical = {pt: bboxes(i["v"]) for pt, i in intersections.items()}
    horizontal = {pt: bboxes(i["h"]) for pt, i in intersections.items()}
    points = sorted(intersections)
    column: dict[float, list[tuple]] = {}
    row: dict[float, list[tuple]] = {}
    for pt in points:  # in sorted order: each column's and row's points come in order too
        column.setdefault(pt[0], []).append(pt)
        row.setdefault(pt[1], []).append(pt)
    after_in_column = {pt: k for group in column.values() for k, pt in enumerate(group)}
    after_in_row = {pt: k for group in row.values() for k, pt in enumerate(group)}
    cells = []
    for pt in points:
        below = [b for b in column[pt[0]][after_in_column[pt] + 1:] if vertical[pt] & vertical[b]]
        if not below:
            continue
        right = [r for r in row[pt[1]][after_in_row[pt] + 1:] if horizontal[pt] & horizontal[r]]
        cell = next(((pt[0], pt[1], r[0], b[1]) for b in below for r in right
                     if (r[0], b[1]) in intersections and vertical[(r[0], b[1])] & vertical[r]
                     and horizontal[(r[0], b[1])] & horizontal[b]), None)
        if cell is not None:
            cells.append(cell)
    return cells
