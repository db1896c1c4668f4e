"""Where nodes come from: the embedded UML lab, Vagrant VMs, an inventory's hosts."""
