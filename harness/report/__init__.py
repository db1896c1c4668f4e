"""What a run leaves for people: the transcript, secrets and their redaction, Allure attachments, evidence,
timelines, the HTML report and the runbook."""
