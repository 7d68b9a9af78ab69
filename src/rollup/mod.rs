//! Exact sums by period and dimension (filled in below).
