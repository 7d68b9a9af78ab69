//! The stylesheet and the small script the pages load, compiled into the binary so a fresh
//! clone serves them with nothing to build. They are the only places styles and scripts come
//! from: the Content-Security-Policy allows no inline script or style.

use rocket::http::{ContentType, Header};

#[derive(rocket::Responder)]
pub struct Asset {
    body: &'static str,
    content_type: ContentType,
    cache: Header<'static>,
}

fn asset(body: &'static str, content_type: ContentType) -> Asset {
    Asset {
        body,
        content_type,
        cache: Header::new("Cache-Control", "public, max-age=3600"),
    }
}

#[rocket::get("/static/app.css")]
pub fn css() -> Asset {
    asset(
        concat!(
            include_str!("assets/app.css"),
            include_str!("assets/lang.css"),
            include_str!("assets/lists.css"),
            include_str!("assets/periods.css"),
            include_str!("assets/evidence.css"),
            include_str!("assets/portal.css"),
            include_str!("assets/mobilisation.css"),
            include_str!("assets/activities.css"),
        ),
        ContentType::CSS,
    )
}

#[rocket::get("/static/app.js")]
pub fn js() -> Asset {
    asset(include_str!("assets/app.js"), ContentType::JavaScript)
}
