"""The write side: operations on nodes, one module per technology."""
