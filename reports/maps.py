"""Maps of the 20 regions: a built-in tile grid that needs no file, and a choropleth from a GeoJSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

# (column, row) of each region on a schematic grid, roughly where it lies (north at the top).
TILES = {
    "KZ-59": (3, 0),
    "KZ-27": (0, 1), "KZ-39": (2, 1), "KZ-11": (3, 1), "KZ-71": (4, 1), "KZ-55": (5, 1),
    "KZ-23": (0, 2), "KZ-15": (1, 2), "KZ-62": (2, 2), "KZ-35": (3, 2), "KZ-10": (5, 2), "KZ-63": (6, 2),
    "KZ-47": (0, 3), "KZ-43": (1, 3), "KZ-61": (2, 3), "KZ-31": (3, 3), "KZ-19": (4, 3), "KZ-33": (5, 3),
    "KZ-79": (2, 4), "KZ-75": (4, 4),
}


TILE = 78  # pixels of a tile: room for a region's short name on two lines
ATTRIBUTION_FILES = ("ATTRIBUTION.md", "ATTRIBUTION.txt", "LICENSE.md", "README.md")


def short_name(name: str) -> str:
    """A region's name on at most two lines of a tile: "West Kazakhstan Region" → "West<br>Kazakhstan"."""
    words = name.removesuffix(" Region").split()
    if len(words) == 1:
        return words[0]
    cut = max(range(1, len(words)), key=lambda i: -abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return " ".join(words[:cut]) + "<br>" + " ".join(words[cut:])


def tile_map(values: dict[str, float], names: dict[str, str], title: str, colorbar: str) -> go.Figure:
    """Each region a square at its grid place, coloured by its value (grey where it has none), named in full."""
    codes = list(TILES)
    known = [c for c in codes if values.get(c) is not None]
    missing = [c for c in codes if values.get(c) is None]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=[TILES[c][0] for c in known], y=[-TILES[c][1] for c in known], mode="markers+text",
        marker={"symbol": "square", "size": TILE, "color": [values[c] for c in known], "colorscale": "Viridis",
                "showscale": True, "colorbar": {"title": colorbar}},
        text=[short_name(names.get(c, c)) for c in known], textfont={"color": "white", "size": 10},
        hovertext=[f"{names.get(c, c)} ({c}): {values[c]:,.3g}" for c in known], hoverinfo="text", showlegend=False))
    if missing:
        fig.add_trace(go.Scatter(
            x=[TILES[c][0] for c in missing], y=[-TILES[c][1] for c in missing], mode="markers+text",
            marker={"symbol": "square", "size": TILE, "color": "#d0d0d0"},
            text=[short_name(names.get(c, c)) for c in missing], textfont={"size": 10},
            hovertext=[f"{names.get(c, c)} ({c}): no data" for c in missing], hoverinfo="text", showlegend=False))
    fig.update_layout(title=title, height=560, xaxis={"visible": False, "range": [-0.6, 6.6]},
                      yaxis={"visible": False, "range": [-4.6, 0.6]}, plot_bgcolor="white")
    return fig


def boundary_attribution(boundaries: Path) -> str | None:
    """The attribution a boundary file's licence asks for: a quoted "Boundaries: …" line in an ATTRIBUTION (or
    README) file beside it, else the GeoJSON's own ``attribution`` or ``name`` when that names a licence."""
    for name in ATTRIBUTION_FILES:
        beside = Path(boundaries).with_name(name)
        if beside.is_file():
            found = re.search(r"[\"“](Boundaries:[^\"”]+)[\"”]", beside.read_text(encoding="utf-8"))
            if found:
                return found[1]
    try:
        meta = json.loads(Path(boundaries).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for key in ("attribution", "name"):
        text = str(meta.get(key) or "")
        if key == "attribution" and text or re.search(r"\bCC[ -]BY|licen[cs]e|©", text, re.IGNORECASE):
            return f"Boundaries: {text}"
    return None


def region_key(geojson: dict, codes: set[str]) -> str:
    """The feature property holding ISO 3166-2:KZ codes (e.g. ISO_3166_2_current), found by its values."""
    features = geojson.get("features") or []
    if not features:
        raise ValueError("the GeoJSON has no features")
    for key in features[0].get("properties", {}):
        found = {str(f["properties"].get(key)) for f in features}
        if found and found <= codes and len(found) >= len(features) * 0.9:
            return key
    raise ValueError("no property of the GeoJSON's features holds ISO 3166-2:KZ region codes (KZ-10 … KZ-79)")


def _rings(geometry: dict) -> list[list[list[float]]]:
    """Outer rings of a Polygon or MultiPolygon (holes are not drawn)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def choropleth(boundaries: Path, values: dict[str, float], names: dict[str, str], title: str,
               colorbar: str) -> go.Figure:
    """Regions drawn from the GeoJSON as filled shapes on plain axes: plotly's geo maps would fetch a world
    base map from the internet, and the report must open offline."""
    geojson = json.loads(Path(boundaries).read_text(encoding="utf-8"))
    key = region_key(geojson, set(TILES))
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    fig = go.Figure()
    for feature in geojson["features"]:
        code = str(feature["properties"][key])
        value = values.get(code)
        share = 0.5 if value is None or high == low else (value - low) / (high - low)
        color = "#d0d0d0" if value is None else sample_colorscale("Viridis", [share])[0]
        xs, ys = [], []
        for ring in _rings(feature["geometry"]):
            step = max(1, len(ring) // 400)  # enough points for a country-scale map, a lighter file
            points = ring[::step] + [ring[0]]
            xs += [p[0] for p in points] + [None]
            ys += [p[1] for p in points] + [None]
        label = f"{names.get(code, code)} ({code}): " + ("no data" if value is None else f"{value:,.3g}")
        fig.add_trace(go.Scatter(x=xs, y=ys, fill="toself", fillcolor=color, mode="lines",
                                 line={"color": "white", "width": 1}, hoverinfo="text", text=label,
                                 hoveron="fills", showlegend=False, name=code))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip",
                             marker={"colorscale": "Viridis", "cmin": low, "cmax": high, "color": [low],
                                     "showscale": True, "colorbar": {"title": colorbar}}))
    # about 48° N: one degree of longitude is two thirds of a degree of latitude
    fig.update_layout(title=title, height=520, plot_bgcolor="white",
                      xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1.5})
    return fig
