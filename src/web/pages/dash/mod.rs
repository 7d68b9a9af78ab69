//! (to be written: the dash pages)

#[must_use]
pub fn routes() -> Vec<rocket::Route> {
    Vec::new()
}
