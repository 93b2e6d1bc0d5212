"""Source-independent extraction helpers: URLs, dates, text cleaning, structured metadata, the generic
fallback and the layered article assembly every source parser shares."""
