"""Files -> clean pages -> chunks with metadata."""
