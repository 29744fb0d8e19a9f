"""Working-time arithmetic over a company calendar, for complaint deadlines.

A calendar is defined in local wall time (weekly windows, holidays, make-up working days), but
deadlines are measured in real elapsed time. To keep queries cheap, each UTC year is expanded once
into a sorted array of working intervals (epoch microseconds) with prefix sums; every query is then
a bisect lookup, and the expansion is extended year by year only when a query needs it.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_ONE_US = timedelta(microseconds=1)
_ZERO = timedelta(0)
_SECOND_US = 1_000_000
_DAY_US = 86_400 * _SECOND_US
# Zones never leave and regain an offset within a day, so daily probes find every transition.
_OFFSET_PROBE_US = 86_400 * _SECOND_US
_HORIZON_YEARS = 10
_FLOAT_EXACT_US = 2**52
_MIN_YEAR, _MAX_YEAR = 2, 9998

_Span = tuple[int, int]


@dataclass(frozen=True)
class WorkingWindow:
	"""A weekly working span in local wall time; `end <= start` means it runs past midnight."""

	weekday: int  # 0=Monday .. 6=Sunday
	start: time
	end: time  # end <= start means the window runs past midnight

	def __post_init__(self) -> None:
		if isinstance(self.weekday, bool) or not isinstance(self.weekday, int) or not 0 <= self.weekday <= 6:
			raise ValueError(f"weekday must be an int in 0..6 (Monday=0), got {self.weekday!r}")
		for name in ("start", "end"):
			value = getattr(self, name)
			if not isinstance(value, time):
				raise TypeError(f"window {name} must be a datetime.time, got {value!r}")
			if value.tzinfo is not None:
				raise ValueError(
					f"window {name} must be a naive wall time; the calendar carries the time zone"
				)
		if _time_us(self.start) == _time_us(self.end):
			raise ValueError(f"window start and end must differ, got {self.start} for both")


@dataclass(frozen=True)
class Calendar:
	"""A company working calendar; frozen and hashable so its expansion can be cached per year."""

	windows: tuple[WorkingWindow, ...]
	timezone: str = "UTC"
	holidays: frozenset[date] = frozenset()
	extra_working_days: frozenset[date] = frozenset()
	make_up_weekday: int = 0

	def __post_init__(self) -> None:
		windows = tuple(self.windows)
		if not all(isinstance(window, WorkingWindow) for window in windows):
			raise TypeError("windows must contain WorkingWindow instances")
		object.__setattr__(self, "windows", windows)
		object.__setattr__(self, "holidays", _date_set(self.holidays, "holidays"))
		object.__setattr__(
			self, "extra_working_days", _date_set(self.extra_working_days, "extra_working_days")
		)
		if isinstance(self.make_up_weekday, bool) or self.make_up_weekday not in range(7):
			raise ValueError(f"make_up_weekday must be an int in 0..6, got {self.make_up_weekday!r}")
		_zone(self.timezone)
		key = (self.windows, self.timezone, self.holidays, self.extra_working_days, self.make_up_weekday)
		# Not a dataclass field: a cached hash, because every query hashes the calendar to find its years.
		object.__setattr__(self, "_hash", hash(key))
		# Nor these: the zone object (an aware start in it may take the wall path) and the wall-time block
		# the last query used, naive [0] and aware [1] — most calls stay in it.
		object.__setattr__(self, "_tz", _zone(self.timezone))
		object.__setattr__(self, "_last", [None, None])

	def __hash__(self) -> int:
		return self._hash  # type: ignore[attr-defined]

	def __reduce__(self) -> tuple[type["Calendar"], tuple[object, ...]]:
		# Unpickle through __init__: str hashes are salted per process, so the cached hash must be recomputed.
		fields = (self.windows, self.timezone, self.holidays, self.extra_working_days, self.make_up_weekday)
		return (Calendar, fields)


@dataclass(frozen=True)
class _Block:
	"""Working intervals of one UTC year, clipped to [lo, hi), with prefix sums for O(log n) queries."""

	lo: int
	hi: int
	starts: tuple[int, ...]
	ends: tuple[int, ...]
	before: tuple[int, ...]  # working time in this block before interval i
	through: tuple[int, ...]  # working time in this block up to the end of interval i

	@property
	def total(self) -> int:
		return self.through[-1] if self.through else 0


def weekly_windows(weekdays: Iterable[int], *spans: tuple[str, str]) -> tuple[WorkingWindow, ...]:
	"""Build the same wall-time spans ("HH:MM", "HH:MM") for several weekdays; "24:00" means midnight."""
	if not spans:
		raise ValueError("weekly_windows needs at least one (start, end) span")
	parsed = [(_parse_wall_time(start), _parse_wall_time(end)) for start, end in spans]
	return tuple(WorkingWindow(day, start, end) for day in weekdays for start, end in parsed)


def is_working(cal: Calendar, at: datetime) -> bool:
	"""Whether `at` falls inside a working window of the calendar."""
	t = _instant_us(at, "at")
	return _interval_containing(_block(cal, _year_of(t)), t) is not None


def next_working_instant(cal: Calendar, at: datetime) -> datetime:
	"""`at` itself if working, else the start of the next working window (where a deadline clock starts)."""
	for block, since in _scan(cal, _instant_us(at, "at")):
		i = bisect_right(block.starts, since)
		if i and since < block.ends[i - 1]:
			return _local(cal, since)
		if i < len(block.starts):
			return _local(cal, block.starts[i])
	raise AssertionError("unreachable: _scan raises when the horizon is exhausted")


def add_working_time(cal: Calendar, start: datetime, duration: timedelta) -> datetime:
	"""Earliest instant at which `duration` of working time has elapsed since `start`."""
	try:
		if start.tzinfo is cal._tz and duration > _ZERO:  # type: ignore[attr-defined]
			# In the calendar's own zone (what the SLA engine passes): on the wall clock when the zone keeps
			# one offset over the years concerned.
			answer = _add_on_wall(cal, start, duration, 1)
			if answer is not None:
				return answer
	except (AttributeError, TypeError):  # not a datetime / not a timedelta: named below
		pass
	try:
		s = (start - _EPOCH) // _ONE_US
		remaining = duration // _ONE_US
	except TypeError:  # not an aware datetime / not a timedelta: the checks below name the problem
		s, remaining = _instant_us(start, "start"), _duration_us(duration)
	if remaining <= 0:
		if remaining < 0:
			_duration_us(duration)  # raises, naming the negative duration
		return start.astimezone(_zone(cal.timezone))
	# Fast paths, the common cases: the answer lies in the start's own working interval, or in its year.
	block = _block(cal, _year_of(s))
	starts, ends = block.starts, block.ends
	i = bisect_right(starts, s) - 1
	if i >= 0:
		if s < ends[i] and s + remaining <= ends[i]:
			return _local(cal, s + remaining)
		done = block.before[i] + min(s, ends[i]) - starts[i]
	else:
		done = 0
	if remaining <= block.total - done:
		return _local(cal, _instant_at(block, done + remaining))
	for block, since in _scan(cal, s):
		done = _worked_before(block, since)
		if remaining <= block.total - done:
			return _local(cal, _instant_at(block, done + remaining))
		remaining -= block.total - done
	raise AssertionError("unreachable: _scan raises when the horizon is exhausted")


def add_working_time_wall(cal: Calendar, start: datetime, duration: timedelta) -> datetime:
	"""`add_working_time` in wall time: `start` and the answer are naive times on the calendar's own clock —
	the convention of Frappe and ERPNext, which store naive datetimes in the system time zone.

	Exactly `add_working_time(cal, start.replace(tzinfo=zone), duration)` read back as a naive wall time.
	"""
	try:
		if start.tzinfo is None and duration > _ZERO:
			answer = _add_on_wall(cal, start, duration, 0)
			if answer is not None:
				return answer
	except (AttributeError, TypeError):  # not a datetime / not a timedelta: named below
		pass
	if not isinstance(start, datetime) or start.tzinfo is not None:
		raise ValueError(f"start must be a naive wall time, got {start!r}")
	zone = _zone(cal.timezone)
	answer = add_working_time(cal, start.replace(tzinfo=zone), duration)
	return answer.astimezone(zone).replace(tzinfo=None)


def _add_on_wall(
	cal: Calendar,
	start: datetime,
	duration: timedelta,
	aware: int,
	_right=bisect_right,
	_left=bisect_left,
) -> datetime | None:
	"""`start` plus `duration` (> 0) of working time, found on the calendar's wall clock, or None when the
	zone's UTC offset changes within the years concerned (the caller then counts in UTC).

	`start` is naive (`aware` 0) or aware in the calendar's own zone object (`aware` 1). Where the offset is
	constant, wall order is instant order and wall arithmetic is exact, so the answer is a bisect and one
	addition on datetime objects — no conversion in or out. This is the per-deadline path, measured against
	ERPNext in benchmarks/p1_erpnext.py.
	"""
	block = cal._last[aware]  # type: ignore[attr-defined]
	if block is None or not block[0] <= start < block[1]:
		block = _wall_block_at(cal, start, aware)
		if block is None:
			return None
		cal._last[aware] = block  # type: ignore[attr-defined]
	_lo, hi, starts, ends, before, through, total, year = block
	i = _right(starts, start) - 1
	if i >= 0:
		end = ends[i]
		if start < end:
			answer = start + duration
			if answer <= end:  # the commonest case: within the start's own working interval
				return answer
			target = before[i] + (start - starts[i]) + duration
		else:
			target = through[i] + duration
	else:
		target = duration
	if target <= total:  # the common case: the answer lies in the start's year
		j = _left(through, target)
		return starts[j] + (target - before[j])
	for _ in range(_HORIZON_YEARS):
		following = _wall_block(cal, year + 1, aware)
		if following is None or following[0] != hi:
			return None
		target -= total
		_lo, hi, starts, ends, before, through, total, year = following
		if target <= total:
			j = _left(through, target)
			return starts[j] + (target - before[j])
	return None


def working_time_between(cal: Calendar, start: datetime, end: datetime) -> timedelta:
	"""Working time in [start, end); negative when `end` is before `start` so callers can show overdue time."""
	s, e = _instant_us(start, "start"), _instant_us(end, "end")
	if e < s:
		return -timedelta(microseconds=_between_us(cal, e, s))
	return timedelta(microseconds=_between_us(cal, s, e))


# --- query helpers -------------------------------------------------------------------------------


def _between_us(cal: Calendar, s: int, e: int) -> int:
	"""Working microseconds in [s, e) for s <= e, summing whole cached years in between."""
	first, last = _year_of(s), _year_of(e)
	if first == last:
		block = _block(cal, first)
		return _worked_before(block, e) - _worked_before(block, s)
	head = _block(cal, first)
	middle = sum(_block(cal, year).total for year in range(first + 1, last))
	return head.total - _worked_before(head, s) + middle + _worked_before(_block(cal, last), e)


def _scan(cal: Calendar, t: int) -> Iterator[tuple[_Block, int]]:
	"""Yield (block, instant) from t's year onwards; give up after a long stretch with no working time."""
	if not cal.windows:
		raise ValueError("calendar has no working windows, so no working time can ever elapse")
	year, since, idle_years = _year_of(t), t, 0
	while idle_years <= _HORIZON_YEARS:
		block = _block(cal, year)
		yield block, since
		idle_years = idle_years + 1 if _worked_before(block, since) == block.total else 0
		year, since = year + 1, block.hi
	raise ValueError(f"calendar has no working time within {_HORIZON_YEARS} years (every day a holiday?)")


def _interval_containing(block: _Block, t: int) -> int | None:
	"""Index of the working interval containing t, if any."""
	i = bisect_right(block.starts, t) - 1
	return i if i >= 0 and t < block.ends[i] else None


def _worked_before(block: _Block, t: int) -> int:
	"""Working microseconds in the block before instant t (t within [lo, hi])."""
	i = bisect_right(block.starts, t) - 1
	if i < 0:
		return 0
	return block.before[i] + min(t, block.ends[i]) - block.starts[i]


def _instant_at(block: _Block, worked: int) -> int:
	"""Earliest instant at which `worked` (0 < worked <= total) microseconds have elapsed in the block."""
	i = bisect_left(block.through, worked)
	return block.starts[i] + worked - block.before[i]


# --- year expansion (the cache build) ------------------------------------------------------------


@lru_cache(maxsize=256)
def _block(cal: Calendar, year: int) -> _Block:
	"""Expand one UTC year into merged working intervals; cached because it is the only costly step."""
	if not _MIN_YEAR <= year <= _MAX_YEAR:
		raise ValueError(f"year {year} is outside the supported range {_MIN_YEAR}..{_MAX_YEAR}")
	lo, hi = _year_start_us(year), _year_start_us(year + 1)
	segments = _offset_segments(_zone(cal.timezone), lo, hi)
	# A date's windows span at most two wall days and offsets stay within a day, so a few days of margin
	# on either side catch every window occurrence that reaches into this UTC year.
	day, last = date(year, 1, 1) - timedelta(days=4), date(year + 1, 1, 1) + timedelta(days=2)
	pieces: list[_Span] = []
	while day <= last:
		midnight = (day.toordinal() - _EPOCH_ORDINAL) * _DAY_US
		for start, end in _date_spans(cal, day):
			pieces.extend(_preimage(segments, midnight + start, midnight + end))
		day += timedelta(days=1)
	return _index(lo, hi, _merge(pieces))


# A UTC year's working intervals as wall datetimes, for a zone that keeps one offset all that year:
# (lo, hi, starts, ends, before, through, total, year) — datetimes and timedeltas, unpacked once per query.
_WallBlock = tuple[
	datetime,
	datetime,
	tuple[datetime, ...],
	tuple[datetime, ...],
	tuple[timedelta, ...],
	tuple[timedelta, ...],
	timedelta,
	int,
]


@lru_cache(maxsize=256)
def _wall_block(cal: Calendar, year: int, aware: int) -> _WallBlock | None:
	"""The UTC year's block on the calendar's wall clock, naive or aware in its zone (`aware`), when the
	zone keeps one offset all that year; None otherwise."""
	if not _MIN_YEAR <= year <= _MAX_YEAR:
		return None
	block = _block(cal, year)
	segments = _offset_segments(_zone(cal.timezone), block.lo, block.hi)
	if len(segments) != 1:
		return None
	offset, tz = segments[0][2], cal._tz if aware else None  # type: ignore[attr-defined]

	def wall(t: int) -> datetime:
		return (_NAIVE_EPOCH + timedelta(microseconds=t + offset)).replace(tzinfo=tz)

	def span(t: int) -> timedelta:
		return timedelta(microseconds=t)

	return (
		wall(block.lo),
		wall(block.hi),
		tuple(map(wall, block.starts)),
		tuple(map(wall, block.ends)),
		tuple(map(span, block.before)),
		tuple(map(span, block.through)),
		span(block.total),
		year,
	)


def _wall_block_at(cal: Calendar, start: datetime, aware: int) -> _WallBlock | None:
	"""The wall block holding `start`: its UTC year is the wall year or a neighbour (the offset is < 1 day)."""
	for year in (start.year, start.year - 1, start.year + 1):
		block = _wall_block(cal, year, aware)
		if block is not None and block[0] <= start < block[1]:
			return block
	return None


def _index(lo: int, hi: int, intervals: tuple[_Span, ...]) -> _Block:
	"""Attach prefix sums so cumulative working time is a bisect away."""
	before, through, total = [], [], 0
	for start, end in intervals:
		before.append(total)
		total += end - start
		through.append(total)
	return _Block(
		lo=lo,
		hi=hi,
		starts=tuple(start for start, _ in intervals),
		ends=tuple(end for _, end in intervals),
		before=tuple(before),
		through=tuple(through),
	)


def _preimage(segments: list[tuple[int, int, int]], wall_lo: int, wall_hi: int) -> list[_Span]:
	"""UTC instants whose local wall time lies in [wall_lo, wall_hi).

	Within a constant-offset segment wall = utc + offset, so the preimage is an exact interval; this makes
	gap boundaries snap to the transition instant and repeated wall times count twice, as the
	wall-time definition requires (a fold=0/fold=1 shortcut would wrongly cover the skipped part of an
	overlap when a window boundary sits inside the repeated hour).
	"""
	result = []
	for seg_lo, seg_hi, offset in segments:
		start, end = max(seg_lo, wall_lo - offset), min(seg_hi, wall_hi - offset)
		if start < end:
			result.append((start, end))
	return result


def _offset_segments(zone: ZoneInfo, lo: int, hi: int) -> list[tuple[int, int, int]]:
	"""Split [lo, hi) into (start, end, utc_offset) pieces of constant offset by probing the zone."""
	segments = []
	seg_lo, offset = lo, _offset_us(zone, lo)
	probe, last = lo, hi - _SECOND_US
	while probe < last:
		ahead = min(probe + _OFFSET_PROBE_US, last)
		if _offset_us(zone, ahead) == offset:
			probe = ahead
			continue
		change = _first_change(zone, probe, ahead, offset)
		segments.append((seg_lo, change, offset))
		seg_lo, offset, probe = change, _offset_us(zone, change), change
	segments.append((seg_lo, hi, offset))
	return segments


def _first_change(zone: ZoneInfo, lo: int, hi: int, offset: int) -> int:
	"""Binary-search (to the second) the transition in (lo, hi] where the offset stops being `offset`."""
	while hi - lo > _SECOND_US:
		mid = lo + (hi - lo) // (2 * _SECOND_US) * _SECOND_US
		if _offset_us(zone, mid) == offset:
			lo = mid
		else:
			hi = mid
	return hi


def _date_spans(cal: Calendar, day: date) -> tuple[_Span, ...]:
	"""Merged wall spans (relative to the date's midnight) of the window occurrences belonging to `day`."""
	if day in cal.holidays:
		return ()
	by_weekday = _weekday_spans(cal)
	own = by_weekday[day.weekday()]
	if day in cal.extra_working_days and day.weekday() != cal.make_up_weekday:
		return _merge((*own, *by_weekday[cal.make_up_weekday]))
	return own


@lru_cache(maxsize=256)
def _weekday_spans(cal: Calendar) -> tuple[tuple[_Span, ...], ...]:
	"""Per-weekday merged spans, so overlapping windows are never double counted."""
	return tuple(_merge(_window_span(w) for w in cal.windows if w.weekday == day) for day in range(7))


def _window_span(window: WorkingWindow) -> _Span:
	"""Wall span relative to the owning date's midnight; past-midnight windows end on the next day."""
	start, end = _time_us(window.start), _time_us(window.end)
	return (start, end + _DAY_US if end <= start else end)


def _merge(spans: Iterable[_Span]) -> tuple[_Span, ...]:
	"""Union of half-open spans, with touching spans joined."""
	merged: list[_Span] = []
	for start, end in sorted(spans):
		if merged and start <= merged[-1][1]:
			merged[-1] = (merged[-1][0], max(merged[-1][1], end))
		else:
			merged.append((start, end))
	return tuple(merged)


# --- conversions and validation ------------------------------------------------------------------


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
	"""Resolve an IANA zone name, failing with ValueError so callers see one error type."""
	try:
		return ZoneInfo(name)
	except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
		raise ValueError(f"unknown time zone {name!r}") from exc


def _instant_us(value: datetime, name: str) -> int:
	"""Exact epoch microseconds; naive values are rejected because their instant is undefined."""
	if not isinstance(value, datetime):
		raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
	if value.tzinfo is None or value.utcoffset() is None:
		raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
	return (value - _EPOCH) // _ONE_US


def _duration_us(duration: timedelta) -> int:
	"""Exact microseconds of a non-negative duration."""
	if not isinstance(duration, timedelta):
		raise TypeError(f"duration must be a timedelta, got {type(duration).__name__}")
	if duration < timedelta(0):
		raise ValueError(f"duration must not be negative, got {duration}")
	return duration // _ONE_US


def _local(cal: Calendar, t: int) -> datetime:
	"""Epoch microseconds as an aware datetime in the calendar's zone.

	Within ±2**52 µs of the epoch (until year 2112) a float timestamp is exact to well under half a
	microsecond, so `fromtimestamp` (which rounds to the microsecond) returns the exact instant, faster.
	"""
	if -_FLOAT_EXACT_US < t < _FLOAT_EXACT_US:
		return datetime.fromtimestamp(t / _SECOND_US, _zone(cal.timezone))
	return (_EPOCH + timedelta(microseconds=t)).astimezone(_zone(cal.timezone))


def _offset_us(zone: ZoneInfo, t: int) -> int:
	"""UTC offset of the zone at instant t, in microseconds."""
	offset = (_EPOCH + timedelta(microseconds=t)).astimezone(zone).utcoffset()
	assert offset is not None
	return offset // _ONE_US


def _year_of(t: int) -> int:
	"""UTC year of an instant; the cache is keyed by it (a bisect in the years 1970-2199)."""
	i = bisect_right(_YEAR_STARTS, t)
	if 0 < i < len(_YEAR_STARTS):
		return 1969 + i
	return (_EPOCH + timedelta(microseconds=t)).year


def _year_start_us(year: int) -> int:
	"""Epoch microseconds of 1 January 00:00 UTC."""
	return (date(year, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY_US


def _time_us(value: time) -> int:
	"""Microseconds since midnight of a wall time."""
	return ((value.hour * 60 + value.minute) * 60 + value.second) * _SECOND_US + value.microsecond


def _parse_wall_time(text: str) -> time:
	"""Parse "HH:MM[:SS]"; "24:00" is accepted as an end-of-day alias for midnight."""
	if text in ("24:00", "24:00:00"):
		return time(0, 0)
	return time.fromisoformat(text)


def _date_set(values: Iterable[date], name: str) -> frozenset[date]:
	"""Freeze a date collection; datetimes are rejected because they never equal a date."""
	frozen = frozenset(values)
	if not all(isinstance(d, date) and not isinstance(d, datetime) for d in frozen):
		raise TypeError(f"{name} must contain datetime.date values (not datetimes)")
	return frozen


_YEAR_STARTS: tuple[int, ...] = tuple(_year_start_us(year) for year in range(1970, 2201))
