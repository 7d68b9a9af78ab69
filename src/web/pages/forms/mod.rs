//! (to be written: the forms pages)

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    Vec::new()
}
