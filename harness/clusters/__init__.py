"""The clusters the book builds on the nodes (the DRBD pair, Heartbeat, Pacemaker): their known states
and takeovers."""
