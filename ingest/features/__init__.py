"""This wiki's own features, apart from the general pipeline.

- ``activities``: MIPS Improvement Activity docs: their fields to front matter, their page laid out;
- ``catalog``: the "All activities" page, activities.json and .csv, the tags index;
- ``faq``: FAQ docs, one heading per question.
"""
