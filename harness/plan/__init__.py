"""The dry run behind `hadrill plan` and the guard that refuses destruction before any connection."""
