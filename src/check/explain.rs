//! What the checker knows of each measure and indicator, for `msr check --explain-types`.
