"""Generated data at scale, for evaluation and benchmarks (`manage.py seed_bulk`).

`texts` holds the words, `directory` the organisations, people and teams, `lives` the
story of one ticket, `tables` how rows reach the database fast, and `bulk` puts them
together in batches.
"""
