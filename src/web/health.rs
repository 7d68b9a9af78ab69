//! `GET /healthz`: whether the database answers, which backend it is and the schema version,
//! for load balancers and for the person installing the application.

use crate::actions::Ctx;
use crate::error::Result;
use rocket::State;
use rocket::serde::json::Json;

#[derive(serde::Serialize)]
pub struct Health {
    pub status: &'static str,
    pub backend: crate::db::Backend,
    pub schema_version: i64,
    pub version: &'static str,
}

#[rocket::get("/healthz")]
pub async fn healthz(ctx: &State<Ctx>) -> Result<Json<Health>> {
    let schema_version = ctx.store.schema_version().await?;
    Ok(Json(Health {
        status: "ok",
        backend: ctx.store.backend(),
        schema_version,
        version: env!("CARGO_PKG_VERSION"),
    }))
}
