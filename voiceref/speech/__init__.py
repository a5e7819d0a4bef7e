"""Speech: the script a voice reads, the lexicon it reads with, and synthesis."""
