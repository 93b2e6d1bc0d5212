"""Offline translation: Argos packages run through CTranslate2 directly (``translate.engine``), the
pipeline stage (``translate.queue_worker``), package building (``translate.opus_mt``) and the CLI
(``python -m translate``)."""
