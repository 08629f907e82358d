"""Named defects: mutators of signed credentials, malformed issue requests, and the generation
of lerconf's own vectors from them."""
