"""What a run concludes: measured faults and the book's claims with their verdicts."""
