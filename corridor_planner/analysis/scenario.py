"""Scenarios: named, declarative what-ifs applied to a network as overlays.

A :class:`Scenario` is a list of *changes*. Applying it to a
:class:`~corridor_planner.Network` returns a new network; the base network and
its records are never touched (records are frozen, every table is copied).
Scenarios compose: ``net.apply(a, b)`` is ``net.apply(a).apply(b)``, and the
changes of a scenario apply in the order written.

A change is one table with exactly one action key:

``close`` / ``open`` (``ids = [...]``)
    ``links``, ``hubs``, ``countries``, ``corridors``, ``chokepoints`` or
    ``borders`` (border-crossing ids of ``borders.csv``). Closing sets the
    status of every link it selects to ``closed``; opening puts them in service
    now (status operational, no opening year).
``scale`` (``factor``) / ``set`` (``value``) / ``add`` (``hours``, time quantities only)
    a quantity of :data:`QUANTITIES`, narrowed by its selectors.
``add = "hubs"`` / ``add = "links"`` (``records = [...]``)
    new hubs or links, validated like shipped data
    (:func:`corridor_planner.io.extend_dataset`).
``as_of``
    the year the network stands for when a query gives none.

In TOML (``data/scenarios/*.toml``)::

    [scenario]
    name = "caspian_congestion"
    title = "Congestion at the Caspian ports"
    sources = ["S-TREND-SHIPS"]

    [[change]]
    add = "dwell_time"
    hours = 72
    hubs = ["aktau", "kuryk", "alat"]
    events = ["port_dwell"]
"""

from __future__ import annotations

import difflib
import os
import stat
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib
from ..errors import NetworkValidationError, ScenarioError
from ..model import quantities
from ..model.layers import rule_layer
from ..model.records import DWELL_EVENTS, HoursRange, Mode, Status
from ..routing.costs import CostModel
from ..text import shown

if TYPE_CHECKING:  # pragma: no cover
    from ..model.dataset import Dataset
    from ..model.records import DwellRule, Hub, Link, TransferRule


TARGETS = ("links", "hubs", "countries", "corridors", "chokepoints", "borders")
"""What ``close`` and ``open`` can name."""
SINGULAR = {
    "links": "link", "hubs": "hub", "countries": "country", "corridors": "corridor",
    "chokepoints": "chokepoint", "borders": "border crossing",
}  # fmt: skip

QUANTITIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "speed": ("km/h running speed of the selected links", ("links", "modes", "countries", "corridors")),
    "cost": ("USD per TEU-km of the selected links", ("links", "modes", "countries", "corridors")),
    "co2": ("g CO2 per tonne-km of the selected links", ("links", "modes", "countries", "corridors")),
    "border_time": ("hours at the selected border crossings", ("borders", "modes", "countries")),
    "border_cost": ("USD per TEU at the selected border crossings", ("borders", "modes", "countries")),
    "dwell_time": ("hours of port dwell, port calls or canal transits", ("hubs", "events")),
    "dwell_cost": ("USD per TEU of port dwell, port calls or canal transits", ("hubs", "events")),
    "transfer_time": ("hours of mode transfers, gauge changes and transshipments", ("hubs",)),
    "transfer_cost": ("USD per TEU of mode transfers, gauge changes and transshipments", ("hubs",)),
    "frequency": ("departures a week of the selected scheduled services", ("services",)),
}
"""Quantities ``scale``, ``set`` and ``add`` change: what each means, and its selectors."""

RANGES: dict[str, quantities.Range] = {
    "speed": quantities.SPEED_KMH, "cost": quantities.COST_USD_PER_TEU_KM, "co2": quantities.CO2_G_PER_TKM,
    "border_time": quantities.HOURS, "border_cost": quantities.COST_USD, "dwell_time": quantities.HOURS,
    "dwell_cost": quantities.COST_USD, "transfer_time": quantities.HOURS, "transfer_cost": quantities.COST_USD,
    "frequency": quantities.FREQUENCY_PER_WEEK,
}  # fmt: skip
"""The valid values of each quantity (:mod:`corridor_planner.model.quantities`): for ``set``, and for what ``scale``/``add`` give."""

MAX_FILE_BYTES = 1 << 20
"""The largest scenario file read (1 MiB); a scenario is a few kilobytes."""

TIME_QUANTITIES = frozenset({"border_time", "dwell_time", "transfer_time"})
ACTIONS = ("close", "open", "scale", "set", "add", "as_of")


@dataclass(frozen=True)
class Change:
    """One change of a scenario: an action, what it acts on, and its parameters."""

    action: str
    target: str
    params: Mapping[str, Any] = field(default_factory=dict)
    key: str = "change"
    """Where the change was written (``change[2]``), for error messages."""


def _close_matches(word: str, valid: Iterable[str]) -> list[str]:
    """Close matches of ``word``: similar spellings, then names that contain it."""
    names = sorted(str(v) for v in valid)
    close = difflib.get_close_matches(str(word), names, n=3, cutoff=0.6)
    close += [n for n in names if str(word).lower() in n.lower() and n not in close]
    return close[:3]


@dataclass(frozen=True)
class Scenario:
    """A named set of changes to a network.

    Build one with :meth:`from_dict` or :func:`load_scenario` (TOML), then
    ``network.apply(scenario)``.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> red_sea = cp.Scenario.from_dict(
    ...     {"scenario": {"name": "red_sea"}, "change": [{"close": "chokepoints", "ids": ["suez", "babalmandab"]}]})
    >>> net = cp.load_network().apply(red_sea)
    >>> "cape_of_good_hope" in net.plan("Shanghai", "Rotterdam", avoid_modes=["rail", "road"]).chokepoints
    True
    """

    name: str
    changes: tuple[Change, ...] = ()
    title: str = ""
    description: str = ""
    sources: tuple[str, ...] = ()
    assumptions: str = ""
    file: str = "<scenario>"

    # ------------------------------------------------------------------ reading
    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, file: str = "<scenario>") -> Scenario:
        """Parse a scenario from a mapping (the structure of a scenario TOML file).

        Raises
        ------
        ScenarioError
            Naming the file, the key and close matches, for every unknown or invalid entry.
        """
        if not isinstance(data, Mapping):
            raise ScenarioError("a scenario must be a table (mapping)", file=file)
        for key in data:
            if key not in ("scenario", "change"):
                raise ScenarioError(
                    f"unknown top-level key {key!r}",
                    file=file,
                    key=str(key),
                    suggestions=_close_matches(key, ("scenario", "change")),
                )
        meta = data.get("scenario", {})
        if not isinstance(meta, Mapping):
            raise ScenarioError("must be a table", file=file, key="scenario")
        known_meta = ("name", "title", "description", "sources", "assumptions")
        for key in meta:
            if key not in known_meta:
                raise ScenarioError(
                    f"unknown key {key!r}",
                    file=file,
                    key=f"scenario.{key}",
                    suggestions=_close_matches(key, known_meta),
                )
        name = meta.get("name") or (Path(file).stem if file != "<scenario>" else "")
        if not isinstance(name, str) or not name:
            raise ScenarioError("a scenario needs a name", file=file, key="scenario.name")
        for key in ("title", "description", "assumptions"):
            if not isinstance(meta.get(key, ""), str):
                raise ScenarioError("must be text", file=file, key=f"scenario.{key}")
        sources = meta.get("sources", [])
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise ScenarioError("must be a list of source ids", file=file, key="scenario.sources")
        raw_changes = data.get("change", [])
        if not isinstance(raw_changes, list):
            raise ScenarioError("must be an array of tables ([[change]])", file=file, key="change")
        changes = tuple(_parse_change(raw, f"change[{i}]", file) for i, raw in enumerate(raw_changes))
        return cls(
            name=name, changes=changes, title=meta.get("title", ""), description=meta.get("description", ""),
            sources=tuple(sources), assumptions=meta.get("assumptions", ""), file=file,
        )  # fmt: skip

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Read a scenario TOML file."""
        name = shown(str(path), 200)[1:-1] if len(str(path)) > 200 else str(path)
        text = _read_text(path, name)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"is not valid TOML: {exc}", file=name) from None
        except RecursionError:
            raise ScenarioError("is not valid TOML: it is nested too deeply", file=name) from None
        return cls.from_dict(data, file=name)

    # ------------------------------------------------------------------ applying
    def apply_to(self, dataset: Dataset) -> Dataset:
        """The dataset with this scenario's changes made (``dataset`` itself is not changed)."""
        if dataset.sources is not None:
            for i, sid in enumerate(self.sources):
                if sid not in dataset.sources:
                    raise ScenarioError(
                        f"source {sid!r} is not in sources.csv", file=self.file, key=f"scenario.sources[{i}]",
                        suggestions=_close_matches(sid, dataset.sources),
                    )  # fmt: skip
        for change in self.changes:
            dataset = _Applier(self, dataset).apply(change)
        return replace(dataset, scenarios=(*dataset.scenarios, self.name))

    def __str__(self) -> str:
        return f"{self.name}: {self.title}" if self.title else self.name


def _read_text(path: str | Path, name: str) -> str:
    """The text of a scenario file: a regular file of at most :data:`MAX_FILE_BYTES`, in UTF-8 (a BOM is allowed)."""
    try:  # non-blocking: opening a FIFO must not wait for a writer; a path with a NUL byte raises ValueError
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ScenarioError("is not a regular file", file=name)
            data = fh.read(MAX_FILE_BYTES + 1)
    except ScenarioError:
        raise
    except OSError as exc:
        raise ScenarioError(f"cannot read the file: {exc.strerror or exc}", file=name) from None
    except ValueError as exc:  # embedded NUL byte
        raise ScenarioError(f"cannot read the file: {exc}", file=name) from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(f"is larger than {MAX_FILE_BYTES // 1024} KiB; a scenario is a few kilobytes", file=name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"is not UTF-8 text: {exc.reason} at byte {exc.start}", file=name) from None


def _parse_change(raw: Any, key: str, file: str) -> Change:
    if not isinstance(raw, Mapping):
        raise ScenarioError("a change must be a table", file=file, key=key)
    actions = [a for a in ACTIONS if a in raw]
    if len(actions) != 1:
        unknown = [k for k in raw if k not in ACTIONS]
        hint = _close_matches(unknown[0], ACTIONS) if unknown else []
        raise ScenarioError(
            f"a change needs exactly one action key among {', '.join(ACTIONS)}, found {actions or 'none'}",
            file=file, key=key, suggestions=hint,
        )  # fmt: skip
    action = actions[0]
    params = {k: v for k, v in raw.items() if k != action}
    target = raw[action]

    def allow(*names: str) -> None:
        for name in params:
            if name not in names:
                raise ScenarioError(
                    f"unknown key {name!r} for {action} {target!r}",
                    file=file,
                    key=f"{key}.{name}",
                    suggestions=_close_matches(name, names),
                )

    def number(name: str, valid: quantities.Range) -> float:
        value = params.get(name)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ScenarioError(f"must be a number, not {shown(value)}", file=file, key=f"{key}.{name}")
        try:
            return quantities.number(value, valid)
        except quantities.NumberError as exc:
            raise ScenarioError(str(exc), file=file, key=f"{key}.{name}") from None

    def names(name: str) -> None:
        value = params.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
            raise ScenarioError(f"must be a non-empty list of text, not {value!r}", file=file, key=f"{key}.{name}")

    if action == "as_of":
        if not isinstance(target, int) or isinstance(target, bool):
            raise ScenarioError(f"must be a year, not {shown(target)}", file=file, key=f"{key}.as_of")
        try:
            quantities.integer(target, quantities.YEAR)
        except quantities.NumberError as exc:
            raise ScenarioError(str(exc), file=file, key=f"{key}.as_of") from None
        allow()
        return Change("as_of", str(target), {}, key)
    if not isinstance(target, str):
        raise ScenarioError(f"must be text, not {shown(target)}", file=file, key=f"{key}.{action}")
    if action in ("close", "open"):
        if target not in TARGETS:
            raise ScenarioError(
                f"cannot {action} {target!r}, must be one of {', '.join(TARGETS)}",
                file=file,
                key=f"{key}.{action}",
                suggestions=_close_matches(target, TARGETS),
            )
        allow("ids")
        names("ids")
        return Change(action, target, params, key)
    if action == "add" and target in ("hubs", "links"):
        allow("records")
        records = params.get("records")
        if not isinstance(records, list) or not records or not all(isinstance(r, Mapping) for r in records):
            raise ScenarioError("must be a non-empty array of tables", file=file, key=f"{key}.records")
        return Change(action, target, params, key)
    if target not in QUANTITIES:
        valid = list(QUANTITIES) + (["hubs", "links"] if action == "add" else [])
        raise ScenarioError(
            f"{action}: {target!r} is not a quantity, must be one of {', '.join(valid)}",
            file=file,
            key=f"{key}.{action}",
            suggestions=_close_matches(target, valid),
        )
    selectors = QUANTITIES[target][1]
    amount = {"scale": "factor", "set": "value", "add": "hours"}[action]
    allow(amount, *selectors)
    if action == "add" and target not in TIME_QUANTITIES:
        raise ScenarioError(
            f"add works on times ({', '.join(sorted(TIME_QUANTITIES))}); use scale or set for {target!r}",
            file=file,
            key=f"{key}.add",
        )
    number(amount, {"scale": quantities.SCALE_FACTOR, "set": RANGES[target], "add": quantities.HOURS}[action])
    for selector in selectors:
        if selector in params:
            names(selector)
    return Change(action, target, params, key)


class _Applier:
    """Applies one change to a dataset, checking every reference against it."""

    def __init__(self, scenario: Scenario, dataset: Dataset) -> None:
        self.scenario = scenario
        self.ds = dataset
        self.hubs = {h.id: h for h in dataset.hubs}
        self.links = {k.id: k for k in dataset.links}

    def error(self, change: Change, name: str, value: str, valid: Iterable[str], what: str) -> ScenarioError:
        return ScenarioError(
            f"{what} {value!r} does not exist in this network", file=self.scenario.file, key=f"{change.key}.{name}",
            suggestions=_close_matches(value, valid),
        )  # fmt: skip

    def check(self, change: Change, name: str, valid: Iterable[str], what: str) -> list[str]:
        values: list[str] = list(change.params.get(name, []))
        known = set(valid)
        for value in values:
            if value not in known:
                raise self.error(change, name, value, known, what)
        return values

    # ------------------------------------------------------------------ selections
    def link_countries(self, link: Link) -> set[str]:
        return {self.hubs[link.from_hub].country, self.hubs[link.to_hub].country, *link.countries}

    def select_links(self, change: Change, target: str, ids: Sequence[str]) -> list[Link]:
        links = self.links.values()
        if target == "links":
            return [self.links[i] for i in ids]
        if target == "hubs":
            return [k for k in links if k.from_hub in ids or k.to_hub in ids]
        if target == "countries":
            return [k for k in links if self.link_countries(k) & set(ids)]
        if target == "corridors":
            return [k for k in links if set(k.corridors) & set(ids)]
        if target == "chokepoints":
            at = {h.id for h in self.hubs.values() if h.chokepoint in ids}
            return [k for k in links if set(k.chokepoints) & set(ids) or k.from_hub in at or k.to_hub in at]
        return [k for k in links if k.border_crossing in ids]  # borders

    def valid_ids(self, target: str) -> set[str]:
        if target == "links":
            return set(self.links)
        if target == "hubs":
            return set(self.hubs)
        if target == "countries":
            return set(self.ds.country_codes)
        if target == "corridors":
            return set(self.ds.corridors)
        if target == "chokepoints":
            return set(self.ds.chokepoints)
        return set(self.ds.borders)

    def selected_links(self, change: Change) -> list[Link]:
        """Links matching every selector of a link quantity (all links when none is given)."""
        p = change.params
        ids = set(self.check(change, "links", self.links, "link"))
        modes = set(self.check(change, "modes", [m.value for m in Mode], "mode"))
        countries = set(self.check(change, "countries", self.valid_ids("countries"), "country"))
        corridors = set(self.check(change, "corridors", self.ds.corridors, "corridor"))
        out = []
        for link in self.links.values():
            if "links" in p and link.id not in ids:
                continue
            if "modes" in p and link.mode.value not in modes:
                continue
            if "countries" in p and not self.link_countries(link) & countries:
                continue
            if "corridors" in p and not set(link.corridors) & corridors:
                continue
            out.append(link)
        return out

    # ------------------------------------------------------------------ actions
    def apply(self, change: Change) -> Dataset:
        if change.action == "as_of":
            return replace(self.ds, as_of=int(change.target))
        if change.action in ("close", "open"):
            ids = self.check(change, "ids", self.valid_ids(change.target), SINGULAR[change.target])
            selected = self.select_links(change, change.target, ids)
            if change.action == "close":
                new = {k.id: replace(k, status=Status.CLOSED) for k in selected}
            else:
                new = {k.id: replace(k, status=Status.OPERATIONAL, opens=None, closes=None) for k in selected}
            return self.with_links(new)
        if change.action == "add" and change.target in ("hubs", "links"):
            return self.add_records(change)
        return self.change_quantity(change)

    def with_links(self, new: Mapping[str, Link]) -> Dataset:
        return replace(self.ds, links=tuple(new.get(k.id, k) for k in self.ds.links))

    def add_records(self, change: Change) -> Dataset:
        from ..io.extend import extend_dataset

        records = [dict(r) for r in change.params["records"]]
        hubs, links = (records, []) if change.target == "hubs" else ([], records)
        try:
            return extend_dataset(self.ds, hubs, links, label=f"{self.scenario.file}: {change.key}")
        except NetworkValidationError as exc:
            first = exc.problems[0] if exc.problems else None
            where = f"{change.key}.records" + (f" ({first.record}.{first.field})" if first else "")
            raise ScenarioError(f"invalid {change.target}: {exc}", file=self.scenario.file, key=where) from None

    def amount(self, change: Change, old: float, what: str = "") -> float:
        p = change.params
        if change.action == "scale":
            new = old * float(p["factor"])
        elif change.action == "set":
            new = float(p["value"])
        else:
            new = max(0.0, old + float(p["hours"]))
        return self.checked(change, new, what)

    def triple(self, change: Change, old: HoursRange, what: str = "") -> HoursRange:
        if change.action == "scale":
            new = old.scaled(float(change.params["factor"]))
        elif change.action == "set":
            value = float(change.params["value"])
            new = HoursRange(min(old.min, value), value, max(old.max, value))
        else:
            hours = float(change.params["hours"])
            new = HoursRange(max(0.0, old.min + hours), max(0.0, old.typ + hours), max(0.0, old.max + hours))
        for value in (new.min, new.typ, new.max):
            self.checked(change, value, what)
        return new

    def checked(self, change: Change, value: float, what: str) -> float:
        """A value the change computes, within the range of its quantity (so every route stays finite)."""
        try:
            return quantities.number(value, RANGES[change.target])
        except quantities.NumberError:
            amount = {"scale": "factor", "set": "value", "add": "hours"}[change.action]
            raise ScenarioError(
                f"{change.action} {change.target} gives {what or 'a record'} {value:,.6g}, "
                f"out of range: it must be {RANGES[change.target]}",
                file=self.scenario.file, key=f"{change.key}.{amount}",
            ) from None  # fmt: skip

    def change_quantity(self, change: Change) -> Dataset:
        q = change.target
        ds = self.ds
        costs = CostModel(ds.modes, ds.services, ds.transfers, ds.dwells)
        if q in ("speed", "cost", "co2"):
            new: dict[str, Link] = {}
            for link in self.selected_links(change):
                if q == "speed":
                    source = self.scenario.sources or link.speed_source  # a speed is written with its source
                    new[link.id] = replace(
                        link, speed_kmh=self.amount(change, costs.speed_kmh(link), f"link {link.id!r}"),
                        speed_source=source,
                    )  # fmt: skip
                elif q == "cost":
                    new[link.id] = replace(
                        link,
                        cost_usd_per_teu_km=self.amount(change, costs.cost_usd_per_teu_km(link), f"link {link.id!r}"),
                    )
                else:
                    new[link.id] = replace(
                        link, co2_g_per_tkm=self.amount(change, costs.co2_g_per_tkm(link), f"link {link.id!r}")
                    )
            return self.with_links(new)
        if q in ("border_time", "border_cost"):
            ids = set(self.check(change, "borders", ds.borders, "border crossing"))
            modes = set(self.check(change, "modes", ("rail", "road"), "border mode"))
            countries = set(self.check(change, "countries", self.valid_ids("countries"), "country"))
            users: dict[str, set[str]] = {}
            for link in self.links.values():
                if link.border_crossing:
                    users.setdefault(link.border_crossing, set()).update(self.link_countries(link))
            borders = dict(ds.borders)
            for rule in ds.borders.values():
                if "borders" in change.params and rule.id not in ids:
                    continue
                if "modes" in change.params and rule.mode.value not in modes:
                    continue
                if "countries" in change.params and not users.get(rule.id, set()) & countries:
                    continue
                if q == "border_time":
                    borders[rule.id] = replace(rule, time_h=self.triple(change, rule.time_h, f"border {rule.id!r}"))
                else:
                    borders[rule.id] = replace(rule, cost_usd=self.amount(change, rule.cost_usd, f"border {rule.id!r}"))
            return replace(ds, borders=borders)
        if q == "frequency":
            ids = set(self.check(change, "services", ds.services, "service"))
            services = {
                sid: replace(s, frequency_per_week=self.amount(change, s.frequency_per_week, f"service {sid!r}"))
                if "services" not in change.params or sid in ids else s
                for sid, s in ds.services.items()
            }  # fmt: skip
            return replace(ds, services=services)
        hubs = [self.hubs[h] for h in self.check(change, "hubs", self.hubs, "hub")]
        if q in ("dwell_time", "dwell_cost"):
            events = self.check(change, "events", DWELL_EVENTS, "dwell event") or list(DWELL_EVENTS)
            return replace(ds, dwells=self.dwell_rules(change, costs, hubs, events))
        return replace(ds, transfers=self.transfer_rules(change, costs, hubs))

    def changed_rule(self, change: Change, rule: Any) -> Any:
        what = f"the rule at {rule.at!r}"
        if change.target.endswith("_time"):
            return replace(rule, time_h=self.triple(change, rule.time_h, what))
        return replace(rule, cost_usd=self.amount(change, rule.cost_usd, what))

    def dwell_rules(
        self, change: Change, costs: CostModel, hubs: Sequence[Hub], events: Sequence[str]
    ) -> tuple[DwellRule, ...]:
        rules = list(self.ds.dwells)
        if not hubs:
            return tuple(self.changed_rule(change, r) if r.event in events else r for r in rules)
        for hub in hubs:
            for event in events:
                rule = costs.dwell(hub, event)
                if rule is None:
                    continue
                # the rule in force at this hub becomes the hub's own, changed; other hubs keep theirs
                rules = [r for r in rules if not (r.at == hub.id and r.event == event)]
                rules.append(replace(self.changed_rule(change, rule), at=hub.id))
        return tuple(rules)

    def transfer_rules(self, change: Change, costs: CostModel, hubs: Sequence[Hub]) -> tuple[TransferRule, ...]:
        rules = list(self.ds.transfers)
        if not hubs:
            return tuple(self.changed_rule(change, r) for r in rules)
        for hub in hubs:
            layers = sorted({k.layer for k in self.links.values() if hub.id in (k.from_hub, k.to_hub)})
            in_force = {}
            for a in layers:
                for b in layers:
                    rule = costs.transfer(hub, a, b) if a != b else None
                    if rule is not None:
                        in_force[(rule_layer(a), rule_layer(b))] = rule
            # the rules in force at this hub, pinned to its exact layer pairs, changed
            rules = [r for r in rules if r.at != hub.id]
            for (a, b), rule in sorted(in_force.items()):
                rules.append(
                    replace(self.changed_rule(change, rule), at=hub.id, from_layer=a, to_layer=b, two_way=False)
                )
        return tuple(rules)


# ---------------------------------------------------------------------- shipped scenarios


def scenario_dir() -> Path:
    """The folder of the shipped scenarios (``data/scenarios``)."""
    from ..model.dataset import default_data_dir

    return default_data_dir() / "scenarios"


def list_scenarios() -> list[str]:
    """The names of the shipped scenarios.

    Examples
    --------
    >>> import corridor_planner as cp
    >>> "red_sea_closed" in cp.list_scenarios()
    True
    """
    return sorted(p.stem for p in scenario_dir().glob("*.toml"))


def load_scenario(scenario: str | Path | Mapping[str, Any] | Scenario) -> Scenario:
    """A scenario: a shipped one by name, a TOML file by path, a mapping, or a :class:`Scenario` as is.

    Raises
    ------
    ScenarioError
        An unknown name (with close matches), an unreadable file, or invalid content.
    """
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, Mapping):
        return Scenario.from_dict(scenario)
    if isinstance(scenario, Path) or (isinstance(scenario, str) and (scenario.endswith(".toml") or "/" in scenario)):
        return Scenario.from_toml(scenario)
    if not isinstance(scenario, str):
        raise ScenarioError(f"a scenario is a name, a path, a mapping or a Scenario, not {scenario!r}")
    path = scenario_dir() / f"{scenario}.toml"
    try:
        shipped = len(scenario) <= 200 and path.is_file()
    except (OSError, ValueError):  # a name with a NUL byte, or too long for a file name
        shipped = False
    if not shipped:
        names = list_scenarios()
        raise ScenarioError(
            f"no shipped scenario is called {shown(scenario)} (shipped: {', '.join(names)})",
            key=scenario if len(scenario) <= 200 else shown(scenario),
            suggestions=_close_matches(scenario[:200], names),
        )
    return Scenario.from_toml(path)
