"""The per-event work of Panther's v1 Python rules engine for its three Tailscale rules, standard library only.

Written for tailwatch's peer benchmark (bench/peer/README.md says what it keeps and what it leaves out).

    python3 panther_harness.py replay FILE   # decode, classify, evaluate, dedup/threshold; JSON summary on stdout
    python3 panther_harness.py floor FILE    # json.loads of every line of a flat NDJSON file held in memory
"""

import json
import sys
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
ONE_MS = timedelta(milliseconds=1)
MAX_TITLE_CHARS = 1000
MAX_DEDUP_CHARS = 1000
MAX_CONTEXT_CHARS = 200_000


# --- The event as a rule sees it: read-only, case-insensitive, nested containers wrapped on access. ---


class FrozenList(Sequence):
    """A read-only list: a tuple copy whose dict and list items are wrapped when read."""

    def __init__(self, items):
        self._items = tuple(items)

    def __getitem__(self, index):
        return wrap(self._items[index])

    def __len__(self):
        return len(self._items)


class CaseInsensitiveView(Mapping):
    """A read-only dict: exact key first, then a lower-cased key map built only as far as a lookup needs."""

    def __init__(self, data):
        self._data = data.copy()
        self._lowered = {}
        self._pending = None
        self._complete = False

    def __getitem__(self, key):
        data = self._data
        if key in data or not data:
            return wrap(data[key])
        original = self._lowered.get(key.lower())
        if original is None:
            original = self._extend_keymap(key.lower())
        if original is None:
            raise KeyError(key)
        return wrap(data[original])

    def _extend_keymap(self, wanted):
        if self._complete:
            return None
        if self._pending is None:
            self._pending = iter(self._data)
        found = None
        for original in self._pending:
            lowered = original.lower()
            kept = self._lowered.setdefault(lowered, original)
            if lowered == wanted and kept == original:
                found = original
                break
        if len(self._lowered) == len(self._data):
            self._complete = True
        return found

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


def wrap(value):
    if isinstance(value, dict):
        return CaseInsensitiveView(value)
    if isinstance(value, list):
        return FrozenList(value)
    return value


def deep_get(container, *keys, default=None):
    """Follows keys through nested mappings; a missing key, a non-mapping on the way or a None gives the default."""
    current = container
    for key in keys:
        current = current.get(key, default) if isinstance(current, Mapping) else default
    return default if current is None else current


class RuleEvent(CaseInsensitiveView):
    def deep_get(self, *keys, default=None):
        return deep_get(self, *keys, default=default)


def unwrap(value):
    """json.dumps fallback for the read-only containers."""
    if isinstance(value, CaseInsensitiveView):
        return value._data
    if isinstance(value, FrozenList):
        return list(value._items)
    raise TypeError(f"object of type {type(value).__name__} is not JSON serializable")


# --- The three rules, as panther-analysis writes them (ADMIN_CONSOLE origin only). ---


def from_admin_console(event):
    return event.deep_get("event", "origin", default="") == "ADMIN_CONSOLE"


def tailscale_context(event):
    return {
        "actor": event.deep_get("event", "actor", default="<NO_ACTOR_FOUND>"),
        "action": event.deep_get("event", "action", default="<NO_ACTION_FOUND>"),
    }


def disabled_setting(event, setting):
    action = event.deep_get("event", "action", default="<NO_ACTION_FOUND>")
    target_property = event.deep_get("event", "target", "property", default="<NO_TARGET_PROPERTY_FOUND>")
    return all([action == "DISABLE", target_property == setting, from_admin_console(event)])


def actor_login(event):
    return event.deep_get("event", "actor", "loginName", default="<NO_USER_FOUND>")


def target_id(event):
    return event.deep_get("event", "target", "id", default="<NO_TARGET_ID_FOUND>")


class Rule:
    log_types = ("Tailscale.Audit",)
    severity = "HIGH"
    dedup_period_minutes = 60
    threshold = 1

    def __init__(self, rule_id, display_name, setting, title):
        self.id = rule_id
        self.display_name = display_name
        self._setting = setting
        self._title = title

    def rule(self, event):
        return disabled_setting(event, self._setting)

    def title(self, event):
        return self._title(event)

    def alert_context(self, event):
        return tailscale_context(event)


RULES = [
    Rule(
        "Tailscale.Magic.DNS.Disabled",
        "Tailscale Magic DNS Disabled",
        "MAGIC_DNS",
        lambda e: f"Tailscale user [{actor_login(e)}] disabled Magic DNS for [{target_id(e)}] in your organization’s tenant.",
    ),
    Rule(
        "Tailscale.HTTPS.Disabled",
        "Tailscale HTTPS Disabled",
        "HTTPS",
        lambda e: f"Tailscale user [{actor_login(e)}] disabled HTTPS for [{target_id(e)}] in your organization’s tenant.",
    ),
    Rule(
        "Tailscale.Machine.Approval.Requirements.Disabled",
        "Tailscale Machine Approval Requirements Disabled",
        "MACHINE_APPROVAL_NEEDED",
        lambda e: f"Tailscale user [{actor_login(e)}] disabled device approval requirements for new devices accessing your organization’s network.",
    ),
]


# --- One rule on one event, with the engine's call order and fallbacks. ---


def title_of(rule, event):
    try:
        title = rule.title(event)
        if not isinstance(title, str):
            raise TypeError("title() must return a string")
    except Exception:  # a failing title() falls back to the display name, then the id
        return rule.display_name or rule.id
    return title[:MAX_TITLE_CHARS]


def dedup_of(rule, event):
    # None of the three rules defines dedup(): the engine falls back to the title, computed again.
    dedup = title_of(rule, event)
    return (dedup or f"defaultDedupString:{rule.id}")[:MAX_DEDUP_CHARS]


def context_of(rule, event):
    try:
        context = rule.alert_context(event)
        if not isinstance(context, Mapping):
            raise TypeError("alert_context() must return a mapping")
        serialized = json.dumps(context, default=unwrap, allow_nan=False)
    except Exception as error:
        return json.dumps({"_error": repr(error)})
    if len(serialized) > MAX_CONTEXT_CHARS:
        return json.dumps({"_error": f"alert_context size is [{len(serialized)}] characters"})
    return serialized


def run_rule(rule, event):
    """None when the rule does not match (or raises); the match's fields otherwise."""
    try:
        matched = rule.rule(event)
        if not isinstance(matched, bool):
            raise TypeError("rule() must return a bool")
    except Exception:
        return None
    if not matched:
        return None
    title = title_of(rule, event)
    severity = rule.severity  # no severity(): the rule's default
    dedup = dedup_of(rule, event)
    context = context_of(rule, event)
    return title, severity, dedup, context


# --- Dedup and threshold, over windows aligned to the dedup period (tailwatch's scheme; see README). ---


class AlertWindows:
    def __init__(self):
        self._windows = {}

    def add(self, rule, dedup, event_ms, title):
        period_ms = rule.dedup_period_minutes * 60_000
        key = (rule.id, dedup, event_ms - event_ms % period_ms)
        window = self._windows.get(key)
        if window is None:
            self._windows[key] = window = [0, title]
        window[0] += 1

    def alerts(self, threshold_of):
        return sorted(
            [rule_id, dedup, start, count, title]
            for (rule_id, dedup, start), (count, title) in self._windows.items()
            if count >= threshold_of[rule_id]
        )


# --- Decoding and classification: what reaches the engine, and under which log type. ---


def iso_ms(text):
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return (moment - EPOCH) // ONE_MS


def classify(value):
    """(log type, the row the rules read, its event time in ms) of one decoded value."""
    if "p_log_type" in value:  # a row as Panther stores it
        record = value.get("event")
        row = value
    elif isinstance(value.get("event"), dict):  # a HEC envelope
        record = value["event"]
        row = value
    else:  # a bare record, as Panther's schema nests it
        record = value
        row = {"event": value}
    if not isinstance(record, dict):
        return None, row, None
    if "action" in record or "actor" in record:
        log_type = "Tailscale.Audit"
        stamp = record.get("eventTime")
    elif "virtualTraffic" in record or "physicalTraffic" in record or "srcNode" in record:
        log_type = "Tailscale.Network"
        stamp = record.get("end")
    else:
        return None, row, None
    if stamp is not None:
        return log_type, row, iso_ms(stamp)
    envelope_time = value.get("time")
    if isinstance(envelope_time, (int, float)):
        return log_type, row, round(envelope_time * 1000)
    return log_type, row, iso_ms(value["p_event_time"])


def decode_line(decoder, line):
    """Every JSON value on one line: HEC bodies concatenate envelopes with nothing between them."""
    values = []
    index = 0
    end = len(line)
    while index < end:
        while index < end and line[index] in " \t\r\n":
            index += 1
        if index == end:
            break
        value, index = decoder.raw_decode(line, index)
        values.append(value)
    return values


def replay(path):
    rules_by_type = {}
    for rule in RULES:
        for log_type in rule.log_types:
            rules_by_type.setdefault(log_type, []).append(rule)
    threshold_of = {rule.id: rule.threshold for rule in RULES}
    windows = AlertWindows()
    decoder = json.JSONDecoder()
    counts = {"records": 0, "events": 0, "evaluated": 0, "unclassified": 0, "matches": 0}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            for value in decode_line(decoder, line):
                counts["records"] += 1
                log_type, row, event_ms = classify(value)
                if log_type is None:
                    counts["unclassified"] += 1
                    continue
                counts["events"] += 1
                rules = rules_by_type.get(log_type)
                if rules is None:  # no rule reads this log type: the engine never sees it
                    continue
                counts["evaluated"] += 1
                event = RuleEvent({**row, "p_log_type": log_type})
                for rule in rules:
                    match = run_rule(rule, event)
                    if match is None:
                        continue
                    counts["matches"] += 1
                    title, _severity, dedup, _context = match
                    windows.add(rule, dedup, event_ms, title)
    return {**counts, "alerts": windows.alerts(threshold_of)}


def floor(path):
    with open(path, encoding="utf-8") as source:
        lines = [line for line in source.read().split("\n") if line]
    started = time.perf_counter()
    kept = 0
    for line in lines:
        kept += 1 if json.loads(line) is not None else 0
    return {"records": kept, "ms": (time.perf_counter() - started) * 1000}


def main(argv):
    if len(argv) != 3 or argv[1] not in ("replay", "floor"):
        sys.stderr.write(__doc__)
        return 2
    started = time.perf_counter()
    cpu = time.process_time()
    result = replay(argv[2]) if argv[1] == "replay" else floor(argv[2])
    if argv[1] == "replay":
        result["ms"] = (time.perf_counter() - started) * 1000
        result["cpuMs"] = (time.process_time() - cpu) * 1000
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
