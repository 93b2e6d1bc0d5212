RESET enable_seqscan;
RESET enable_mergejoin;
RESET enable_hashjoin;
