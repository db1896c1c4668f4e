"""The read side: parse what nodes print into frozen dataclasses; fail loudly on the unexpected."""
