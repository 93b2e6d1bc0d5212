"""One module per news source: its parser (field extraction) and its spider (discovery)."""
