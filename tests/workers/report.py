"""The suite's outcomes, shared by the tests and the summary hook."""

#: Outcomes of the session, in run order: (Selected, Outcome or None, error text).
RESULTS = []
