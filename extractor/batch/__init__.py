"""Batches: many inputs (files, folders, archives) expanded by content (:mod:`.inputs`), run on
worker processes or a Dask cluster (:mod:`.run`, :mod:`.dask_engine`), resumable, with the
dataset tables rebuilt from the results."""
