"""Review: the journal of corrections and its replay (:mod:`.journal`), the interactive session
(:mod:`.session`) and what it shows a person (:mod:`.display`)."""
