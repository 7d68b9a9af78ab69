//! An NGO user sees its own organisation and nothing of any other: every list, search, item,
//! rollup, export and PDF is searched for the other organisation's marker string.
