//! Identity: argon2id password hashing, run off the async threads with bounded concurrency so
//! a burst of logins cannot starve request handling or exhaust memory (each hash takes 19 MiB).

pub mod password;
