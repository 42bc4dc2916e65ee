"""Archives and related lists: what readers page through, derived from the questions on
every write (the write pipeline's derivers), read in bounded time."""
