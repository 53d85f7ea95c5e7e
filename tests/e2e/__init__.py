"""Browser journeys and API fuzzing against the real server, run as a separate process."""
