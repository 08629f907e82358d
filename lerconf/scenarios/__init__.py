"""What each role's scenarios do, as library functions steps call in one line; ``expect`` holds
the verdict rule and the evidence a scenario collects."""
