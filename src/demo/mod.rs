//! The deterministic demo data set (placeholder until the loader lands).
use crate::actions::Ctx;
use crate::error::Result;
pub async fn load(_ctx: &Ctx) -> Result<String> {
    Ok(String::new())
}
