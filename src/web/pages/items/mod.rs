//! (to be written: the items pages)

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    Vec::new()
}
