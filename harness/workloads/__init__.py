"""What runs against a cluster under faults: the record writer, the SQL canary and its client, the
acknowledgement logs, the invariant monitor."""
