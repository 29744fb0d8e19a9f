"""Service levels (docs/procedure.md §4): working-hour calendars, policies, the complaint's clocks, state timers and the sweep."""
