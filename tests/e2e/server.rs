//! The application as a person meets it: the demo province in a fresh SQLite file, served by
//! the real Rocket server on a local port, with one user per role whose password the test
//! knows (the demo's own accounts have generated passwords).

use aidledger::actions::users::{NewUser, create_user};
use aidledger::actions::{Actor, Ctx};
use aidledger::domain::item::Role;
use aidledger::{Config, Store};

#[path = "../support/pg_schema.rs"]
mod pg_schema;
use pg_schema::PgSchema;

pub const PASSWORD: &str = "browser test passphrase";

pub struct Server {
    pub base: String,
    pub ctx: Ctx,
    _dir: tempfile::TempDir,
    /// Declared last so the store is dropped before its schema.
    _pg: Option<PgSchema>,
}

/// The NGO whose staff the test logs in as (the demo's first foreign NGO).
pub const NGO_ORG: i64 = 1;

/// SQLite in a temporary file, or a fresh schema on PostgreSQL when the suite runs there
/// (`AIDLEDGER_TEST_PG_URL`), like the integration tests; the schema goes when the test ends.
async fn open_store(dir: &tempfile::TempDir) -> (Store, String, Option<PgSchema>) {
    if let Some(pg) = std::env::var("AIDLEDGER_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        let schema = PgSchema::create(&pg).await;
        let store = Store::connect_pg(schema.options(), 5)
            .await
            .expect("the database opens");
        return (store, pg, Some(schema));
    }
    let url = format!("sqlite://{}", dir.path().join("e2e.db").display());
    (
        Store::connect(&url).await.expect("the database opens"),
        url,
        None,
    )
}

pub async fn start() -> Server {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (store, url, schema) = open_store(&dir).await;
    store.migrate().await.expect("migrations run");
    let config = Config {
        database_url: url,
        ..Config::default()
    };
    let ctx = Ctx {
        store: store.clone(),
        config: config.clone(),
    };
    aidledger::demo::load(&ctx)
        .await
        .expect("the demo data loads");
    let system = Actor::system("e2e");
    for (name, role, org) in [
        ("e2e_coordinator", Role::Coordinator, None),
        ("e2e_reviewer", Role::Reviewer, None),
        ("e2e_admin", Role::Admin, None),
        ("e2e_ngo", Role::Ngo, Some(NGO_ORG)),
    ] {
        create_user(
            &ctx,
            &system,
            NewUser {
                username: name.into(),
                display_name: format!("E2E {name}"),
                role,
                organisation_id: org,
                password: PASSWORD.into(),
            },
        )
        .await
        .expect("a test user");
    }
    let port = super::browser::free_port();
    let figment = rocket::Config::figment()
        .merge(("port", port))
        .merge(("address", "127.0.0.1"))
        .merge(("log_level", "off"));
    let rocket = aidledger::build(config, store).configure(figment);
    tokio::spawn(async move {
        if let Err(e) = rocket.launch().await {
            eprintln!("the server stopped: {e}");
        }
    });
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Server {
        base,
        ctx,
        _dir: dir,
        _pg: schema,
    }
}
