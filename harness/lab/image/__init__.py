"""The node image: a Debian root filesystem built from packages, plus the UML kernel's modules."""
