"""The lab: the providers nodes come from, the node image, topologies and inventories, the preflight, the
ssh config, and a scenario's faults."""
