"""Form reading: a :class:`~extractor.ir.Source` read by a layout descriptor into the document
model. Labels are found (:mod:`extractor.labels`), the header boxes cut and read
(:mod:`.boxes`, :mod:`.owners`, :mod:`.address`), the tables placed and their rows read
(:mod:`.tables`, :mod:`.table_rows`, :mod:`.table_pages`), then the tail (:mod:`.tail`);
every value is made with its provenance (:mod:`.provenance`) from text parsed by :mod:`.values`."""
