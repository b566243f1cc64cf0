"""The ``qatysu`` command.

Every command takes ``--db`` (default ``$QATYSU_DB``, else ``./qatysu.duckdb``). Commands that only
read use the warehouse's snapshot, so they never wait for, nor hold up, a flow that is writing;
``--live`` reads the warehouse itself instead.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from qatysu.errors import run, set_verbose
from qatysu.flows.config import CollectConfig, ProcessConfig, default
from qatysu.forecast_cli import forecast_command
from qatysu.markers_cli import lexicon_app, link_command, markers_app
from qatysu.output import (
    DaskOption,
    DbOption,
    FormatOption,
    LiveOption,
    console,
    err,
    key_value,
    param_help,
    print_query,
    print_rows,
)
from qatysu.petitions_cli import import_petitions, petitions_app
from qatysu.run_cli import report_command, run_command
from qatysu.search_cli import kwic_command, search_command
from qatysu.serve_cli import prefect_yaml_command, serve_command
from qatysu.codes_cli import codes_app, sample_command
from qatysu.topic_effects_cli import effects_command
from qatysu.runs_cli import backup_command, runs_command
from qatysu.topics_cli import topics_app
from qatysu.warehouse import Warehouse, WarehouseError, init_warehouse, upsert_sources
from qatysu.warehouse.indicators import read_indicator_csv, write_indicators
from qatysu.warehouse.regions import RegionResolver
from qatysu.warehouse.schema import schema_markdown

app = typer.Typer(
    help="Qatysu: marker words and themes of political participation in Kazakhstan, region by region.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain help text: Rich markup would read "[default: …]" in an option's help as a tag and drop it
    rich_markup_mode=None,
)
indicators_app = typer.Typer(help="Regional participation indicators.", no_args_is_help=True)
export_app = typer.Typer(help="Export the warehouse.", no_args_is_help=True)
app.add_typer(indicators_app, name="indicators")
import_app = typer.Typer(help="Import posts from files you already have.", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")
nlp_app = typer.Typer(help="Look at what the text processing makes of a text.", no_args_is_help=True)
app.add_typer(nlp_app, name="nlp")
sources_app = typer.Typer(help="The registry of sources to crawl.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
app.add_typer(topics_app, name="topics")
app.add_typer(markers_app, name="markers")
app.add_typer(lexicon_app, name="lexicon")
app.add_typer(petitions_app, name="petitions")
import_app.command("petitions")(import_petitions)
app.command("link")(link_command)
app.command("forecast")(forecast_command)
app.command("run")(run_command)
app.command("report")(report_command)
app.command("serve")(serve_command)
app.command("search")(search_command)
app.command("kwic")(kwic_command)
app.command("sample")(sample_command)
app.add_typer(codes_app, name="codes")
topics_app.command("effects")(effects_command)
app.command("runs")(runs_command)
app.command("backup")(backup_command)
app.command("prefect-yaml")(prefect_yaml_command)


@app.callback()
def _options(verbose: Annotated[bool, typer.Option("--verbose", help="Show the traceback of an error.")] = False
             ) -> None:
    set_verbose(verbose)


@app.command()
def init(db: DbOption = None) -> None:
    """Create the warehouse, or upgrade it to the current schema and reference data."""
    wh = Warehouse.at(db)
    with err.status(f"Initialising {wh.path}…"):
        result = init_warehouse(wh)
    if not result.changed:
        console.print(f"{wh.path} is up to date; nothing to do.")
        return
    verb = "Created" if result.created else "Upgraded"
    console.print(f"[green]{verb}[/green] {wh.path}")
    for m in result.migrations:
        console.print(f"  applied migration {m.version:04d}_{m.name}")
    if result.reference_loaded:
        console.print("  loaded reference regions and indicators")
    if result.key_created:
        console.print(f"  created the author pseudonym key {wh.author_key_path} (keep it private, back it up)")
    console.print(f"  readers' snapshot: {wh.snapshot_path}")


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="One read-only SQL statement.")],
    db: DbOption = None,
    live: LiveOption = False,
    fmt: FormatOption = "table",
    limit: Annotated[int, typer.Option(help="Rows to show in table format (0: all).")] = 100,
    out: Annotated[Path | None, typer.Option(
        "--out", dir_okay=False, help="Write the whole result to this file: .csv, .parquet or .xlsx.")] = None,
) -> None:
    """Run one read-only query and print the result, or save it with --out.

    The query reaches only the warehouse: no files, network, extensions or settings (see `qatysu schema`)."""
    from qatysu.warehouse.export import result_format, write_result
    from qatysu.warehouse.sandbox import sandboxed_query

    if fmt not in ("table", "csv", "json"):
        raise typer.BadParameter("--format must be table, csv or json")
    if out is not None:
        try:
            result_format(out)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--out") from exc
    with sandboxed_query(Warehouse.at(db), query, live=live) as cursor:
        if cursor.description is None:
            return
        if out is not None:
            rows = write_result(cursor, out)
            console.print(f"[green]Wrote[/green] {rows} rows to {out}", highlight=False)
            return
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchmany(limit) if fmt == "table" and limit else cursor.fetchall()
        more = fmt == "table" and limit and cursor.fetchone() is not None
    print_rows(columns, rows, fmt)
    if more:
        err.print(f"[dim]first {limit} rows shown; --limit 0 shows all[/dim]")


@app.command()
def schema(db: DbOption = None) -> None:
    """Print the tables and views with their documented columns (Markdown)."""
    with Warehouse.at(db).reader() as con:
        sys.stdout.write(schema_markdown(con))


@app.command()
def regions(db: DbOption = None, fmt: FormatOption = "table") -> None:
    """List the 20 regions with their codes and names."""
    print_query(db, "regions_list", fmt)


@app.command()
def process(
    db: DbOption = None,
    since: Annotated[datetime | None, typer.Option(help=param_help(ProcessConfig, "since"))] = None,
    reprocess: Annotated[bool, typer.Option(help=param_help(ProcessConfig, "reprocess"))] = default(ProcessConfig, "reprocess"),
    batch_size: Annotated[int, typer.Option(help=param_help(ProcessConfig, "batch_size"))]
    = default(ProcessConfig, "batch_size"),
    workers: Annotated[int | None, typer.Option(min=1, help="Analysis processes [default: one per core].")] = None,
    dask: DaskOption = None,
) -> None:
    """Lemmatise new and edited posts, find their language, phrases and regions (incremental, restartable)."""
    wh = Warehouse.at(db)
    params = ProcessConfig(since=since, reprocess=reprocess, batch_size=batch_size, workers=workers)
    if dask:
        if workers:
            raise typer.BadParameter("--workers is for this machine's cores; a Dask cluster has its own workers")
        from qatysu.flows.prefect_env import configure

        configure(wh.data_dir)
        from qatysu.flows.pipeline import process_on_dask

        step = partial(process_on_dask, wh, params, dask)
    else:
        from qatysu.flows.process import process_step

        step = partial(process_step, wh, params)

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task = bar.add_task("processing posts" + (f" on {dask}" if dask else ""), total=None)
        try:
            summary = step(progress=lambda done, total: bar.update(task, completed=done, total=total))
        except OSError as exc:  # distributed's connection errors are OSErrors
            if not dask:
                raise
            err.print(f"error: the Dask cluster at {dask}: {exc}", markup=False)
            raise typer.Exit(1)
    if not summary.processed:
        rebuilt = f"; rebuilt the phrases of {', '.join(summary.phrases)}" if summary.phrases else "; nothing to do"
        console.print(f"No new or edited posts to process{rebuilt}.")
        return
    langs = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_lang.items()))
    phrases = ", ".join(f"{k} {v}" for k, v in summary.phrases.items()) or "none (too few posts)"
    console.print(f"[green]Processed[/green] {summary.processed} posts ({langs}); {summary.regions} region mentions; "
                  f"phrases: {phrases}")


@nlp_app.command("analyze")
def nlp_analyze(
    texts: Annotated[list[str] | None, typer.Argument(help="Texts to analyse.")] = None,
    file: Annotated[Path | None, typer.Option("--file", exists=True, dir_okay=False, help="One text per line.")] = None,
    lang: Annotated[str, typer.Option(help="auto, ru or kk.")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per text.")] = False,
) -> None:
    """Language, tokens with lemmas and stop-word flags, and regions named, for each text."""
    from qatysu.nlp.pipeline import analyze, lemmatize_phrase
    from qatysu.nlp.regions import RegionMatcher
    from qatysu.warehouse.reference import region_aliases

    if lang not in ("auto", "ru", "kk"):
        raise typer.BadParameter("--lang must be auto, ru or kk")
    items = list(texts or [])
    if file:
        items += [line for line in _text_lines(file) if line.strip()]
    if not items:
        raise typer.BadParameter("give texts as arguments or --file")
    matcher = RegionMatcher(((a, code, kind) for a, _, code, _, kind in region_aliases()), lemmatize_phrase)
    for analysis in analyze(items, lang=lang):
        words = [t for t in analysis.tokens if t.lang is not None]
        regions = matcher.find(analysis.word_lemmas, analysis.name_evidence)
        record = {
            "lang": analysis.lang,
            "tokens": [{"text": t.text, "lemma": t.lemma, "is_stop": t.is_stop} for t in analysis.tokens],
            "regions": [{"region_code": m.region_code, "confidence": m.confidence, "matched": m.matched,
                         **({"note": m.note} if m.note else {})} for m in regions],
        }
        if as_json:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            console.print(f"[bold]{analysis.lang}[/bold]  " + " ".join(
                f"{t.text}/[cyan]{t.lemma}[/cyan]" + ("[dim]·stop[/dim]" if t.is_stop else "") for t in words))
            for m in regions:
                console.print(f"  region {m.region_code} ({m.confidence:.1f}, «{m.matched}»)" +
                              (f" — {m.note}" if m.note else ""), highlight=False)


def _text_lines(file: Path) -> list[str]:
    """The lines of a UTF-8 text file, or a clear error for a binary or otherwise encoded one."""
    data = file.read_bytes()
    try:
        if b"\x00" in data:
            raise ValueError("it holds NUL bytes")
        return data.decode("utf-8").splitlines()
    except ValueError as exc:  # UnicodeDecodeError too
        raise WarehouseError(f"--file {file} is not UTF-8 text ({exc}); give a text file, one text per line, "
                             "saved as UTF-8") from exc


def _setting(pair: str) -> tuple[str, str]:
    key, sep, value = pair.partition("=")
    if not sep:
        raise typer.BadParameter(f"expected KEY=VALUE, not {pair!r}")
    return key.strip(), value.strip()


@app.command()
def crawl(
    spider: Annotated[str, typer.Argument(help="telegram, vk, youtube, news or petitions")],
    handles: Annotated[list[str] | None, typer.Argument(
        help="Channels, walls (negative VK ids after --), videos, sites, epetition.kz or petition page URLs; "
             "default: the registered sources (petitions: epetition.kz).")] = None,
    since: Annotated[datetime | None, typer.Option(help=param_help(CollectConfig, "since"))] = None,
    max_pages: Annotated[int | None, typer.Option(help=param_help(CollectConfig, "max_pages"))] = None,
    refresh: Annotated[bool, typer.Option(help=param_help(CollectConfig, "refresh"))] = default(CollectConfig, "refresh"),
    comments: Annotated[bool, typer.Option(help=param_help(CollectConfig, "comments"))]
    = default(CollectConfig, "comments"),
    http_cache: Annotated[bool, typer.Option(help=param_help(CollectConfig, "http_cache"))]
    = default(CollectConfig, "http_cache"),
    set_: Annotated[list[str] | None, typer.Option("--set", help="Scrapy setting KEY=VALUE (repeatable).")] = None,
    verbose: Annotated[bool, typer.Option(help="Show Scrapy's log, not only warnings and errors.")] = False,
    db: DbOption = None,
) -> None:
    """Collect public posts (or petitions and their signatures) into the warehouse and print a summary."""
    from qatysu.crawlers.run import SPIDERS
    from qatysu.flows.collect import NOTHING_TO_DO, collect_step

    if spider not in SPIDERS:
        raise typer.BadParameter(f"unknown spider {spider!r}; choose from {', '.join(SPIDERS)}")
    if comments and spider != "telegram":
        raise typer.BadParameter("--comments reads Telegram's discussion widget: only with the telegram spider")
    set_verbose(verbose)
    params = CollectConfig(platforms=[spider], since=since, max_pages=max_pages, refresh=refresh, comments=comments,
                           http_cache=http_cache, settings=dict(key_value(p) for p in set_ or []))
    with err.status(f"crawling {spider} sources…") as status:

        def show(pages: int, items: int, errors: int) -> None:
            status.update(f"crawling {spider} sources: {pages} pages, {items} items, {errors} errors")

        summary = collect_step(Warehouse.at(db), spider, params, handles=handles,
                               log_level="INFO" if verbose else "WARNING", progress=show)
    if summary.finish_reason == NOTHING_TO_DO:
        console.print(f"No {spider} sources given or registered; nothing to do.")
        return
    unit, record = ("petitions", "petitions") if spider == "petitions" else ("posts", "messages")
    console.print(
        f"{spider}: {summary.pages} pages, {summary.posts_new} new {unit}, {summary.posts_updated} updated, "
        f"{summary.skipped} unreadable {record} skipped, {summary.errors} errors ({summary.finish_reason})"
    )
    if summary.finish_reason != "finished" or summary.errors:
        raise typer.Exit(1)


def _report_import(file: Path, summary) -> None:
    skipped = f", {len(summary.skipped)} bad rows skipped" if summary.skipped else ""
    console.print(f"[green]Imported[/green] {file}: {summary.new} new posts, {summary.updated} updated{skipped}")
    for bad in summary.skipped[:20]:
        err.print(f"skipped {bad}", markup=False, highlight=False)
    if len(summary.skipped) > 20:
        err.print(f"… and {len(summary.skipped) - 20} more skipped")


@import_app.command("telegram-export")
def import_telegram_export(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="result.json of Telegram Desktop.")],
    source: Annotated[str | None, typer.Option(help="The channel's @username, for canonical post URLs.")] = None,
    skip_bad: Annotated[bool, typer.Option(help="Import the good messages when some are malformed.")] = False,
    db: DbOption = None,
) -> None:
    """Import a Telegram Desktop "Export chat history" JSON file."""
    from qatysu.crawlers.importers.load import Staging, import_file
    from qatysu.crawlers.importers.telegram_export import stage_export
    from qatysu.warehouse.post_import import EXPORT_COLUMNS

    def stage(con) -> bool:
        stage_export(con, file, source)
        return True

    summary = import_file(
        Warehouse.at(db), Staging(stage, unit="message"), EXPORT_COLUMNS, name="import-telegram-export",
        args={"file": str(file), "source": source}, skip_bad=skip_bad,
    )
    _report_import(file, summary)


def _import_table(fmt: str, file: Path, mapping: list[str] | None, skip_bad: bool, encoding: str | None,
                  db: Path | None) -> None:
    from qatysu.crawlers.importers.load import import_file
    from qatysu.crawlers.importers.tables import TableFile, file_staging
    from qatysu.warehouse.post_import import FILE_COLUMNS

    column_map = dict(key_value(m) for m in mapping or [])
    table = TableFile(file, fmt, encoding, column_map)
    summary = import_file(
        Warehouse.at(db), file_staging(table), FILE_COLUMNS, name=f"import-{fmt}",
        args={"file": str(file), "map": column_map, "encoding": encoding}, skip_bad=skip_bad,
    )
    _report_import(file, summary)


FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False)]
MapOption = Annotated[list[str] | None, typer.Option("--map", help="Rename a column: theirs=ours (repeatable).")]
SkipBadOption = Annotated[bool, typer.Option(help="Import the good rows when some are malformed.")]
EncodingOption = Annotated[str | None, typer.Option(
    help="utf-8, utf-16 or cp1251; detected when not given (a byte-order mark, valid UTF-8, else a guess).")]


@import_app.command("csv")
def import_csv(file: FileArg, mapping: MapOption = None, skip_bad: SkipBadOption = False,
               encoding: EncodingOption = None, db: DbOption = None) -> None:
    """Import a CSV: platform,source,post_id,published_at,text[,views,reactions,comments,forwards,region,author,url]."""
    _import_table("csv", file, mapping, skip_bad, encoding, db)


@import_app.command("jsonl")
def import_jsonl(file: FileArg, mapping: MapOption = None, skip_bad: SkipBadOption = False,
                 encoding: EncodingOption = None, db: DbOption = None) -> None:
    """Import JSON Lines with the same fields as the CSV import."""
    _import_table("jsonl", file, mapping, skip_bad, encoding, db)


SOURCE_KINDS = ("news", "official", "akimat", "blogger", "activist", "party", "other")


def _source_record(raw: dict[str, Any], resolver: RegionResolver) -> dict[str, Any]:
    missing = [k for k in ("platform", "handle") if not raw.get(k)]
    if missing:
        raise WarehouseError(f"source {raw!r} lacks {', '.join(missing)}")
    kind = raw.get("kind") or "other"
    if kind not in SOURCE_KINDS:
        raise WarehouseError(f"source {raw['handle']}: kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
    region = raw.get("region") or raw.get("region_code")
    return {
        "platform": str(raw["platform"]).lower(), "handle": str(raw["handle"]).lstrip("@"), "kind": kind,
        "title": raw.get("title"), "region_code": resolver.resolve(str(region)) if region else None,
    }


def _register(db: Path | None, raws: list[dict[str, Any]]) -> int:
    from qatysu.warehouse.regions import UnknownRegion

    wh = Warehouse.at(db)
    with wh.writer() as con:
        resolver = RegionResolver.from_warehouse(con)
        try:
            records = [_source_record(r, resolver) for r in raws]
        except UnknownRegion as exc:
            raise WarehouseError(str(exc)) from exc
        return upsert_sources(con, records)


@sources_app.command("add")
def sources_add(
    platform: Annotated[str, typer.Argument(help="telegram, vk, youtube or news")],
    handle: Annotated[str, typer.Argument(help="Channel name, wall id, channel id or site")],
    kind: Annotated[str, typer.Option(help=", ".join(SOURCE_KINDS))] = "other",
    region: Annotated[str | None, typer.Option(help="Region code or name the source belongs to")] = None,
    title: Annotated[str | None, typer.Option()] = None,
    db: DbOption = None,
) -> None:
    """Register one source."""
    _register(db, [{"platform": platform, "handle": handle, "kind": kind, "region": region, "title": title}])
    console.print(f"Registered {platform}:{handle.lstrip('@').lower()}")


@sources_app.command("import")
def sources_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="YAML list of sources.")],
    db: DbOption = None,
) -> None:
    """Register sources from YAML: a list of {platform, handle, kind, region, title}."""
    import yaml

    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise WarehouseError(f"{file}: not valid YAML ({exc})") from exc
    items = data.get("sources") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise WarehouseError(f"{file}: expected a list of sources (or a mapping with a 'sources' list)")
    console.print(f"Registered {_register(db, items)} sources from {file}")


@sources_app.command("list")
def sources_list(db: DbOption = None, live: LiveOption = False, fmt: FormatOption = "table") -> None:
    """List sources with their post counts."""
    print_query(db, "sources_list", fmt, live=live)


@indicators_app.command("load")
def indicators_load(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Long-format CSV file.")],
    db: DbOption = None,
) -> None:
    """Load indicators from a CSV: indicator,region,period,value[,unit,source,note].

    The whole file is checked first; any problem is reported with its line and nothing is written.
    Loading an indicator again replaces its earlier values.
    """
    wh = Warehouse.at(db)
    with wh.writer() as con:
        parsed = read_indicator_csv(file, RegionResolver.from_warehouse(con))
        n_ind, n_val = write_indicators(con, parsed, origin="researcher")
    console.print(f"[green]Loaded[/green] {n_val} values of {n_ind} indicator(s) from {file}")


@indicators_app.command("list")
def indicators_list(db: DbOption = None, live: LiveOption = False, fmt: FormatOption = "table") -> None:
    """List the indicators with their coverage and source."""
    print_query(db, "indicators_list", fmt, live=live)


@export_app.command("parquet")
def export_parquet_cmd(
    out_dir: Annotated[Path, typer.Argument(file_okay=False, help="Directory to write into.")],
    db: DbOption = None,
    live: LiveOption = False,
) -> None:
    """Export posts (partitioned by platform and month) and every analysis table to Parquet."""
    from qatysu.flows.export import export_step

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err,
                  transient=True) as bar:
        task = bar.add_task("export", total=None)

        def advance(table: str, total: int) -> None:
            bar.update(task, advance=1, total=total, description=f"exporting {table}")

        counts = export_step(Warehouse.at(db), out_dir, live=live, progress=advance)
    console.print(f"[green]Exported[/green] {len(counts)} tables to {out_dir}: " +
                  ", ".join(f"{t} {n}" for t, n in counts.items()))


def main() -> None:
    """Console entry point: errors a user can act on are one line and exit code 1 (see :mod:`qatysu.errors`)."""
    run(app)
