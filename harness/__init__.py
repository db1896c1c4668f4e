"""hadrill: an operations book's HA procedures, run as Gherkin features on real nodes."""

__version__ = "0.1.0"
