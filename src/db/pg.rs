//! PostgreSQL's transaction as the store hands it out: sqlx's own and, for a long read, its
//! share of the pool (see [`super::long_reads`]), given back once the transaction has ended.
//! It dereferences to the connection, as sqlx's transaction does.

use sqlx::{PgConnection, Postgres, Transaction};
use tokio::sync::OwnedSemaphorePermit;

pub struct PgTx {
    tx: Transaction<'static, Postgres>,
    /// Dropped after `tx`: the fields drop in this order.
    long: Option<OwnedSemaphorePermit>,
}

impl PgTx {
    pub(super) fn new(
        tx: Transaction<'static, Postgres>,
        long: Option<OwnedSemaphorePermit>,
    ) -> Self {
        PgTx { tx, long }
    }

    pub(super) async fn commit(self) -> Result<(), sqlx::Error> {
        let PgTx { tx, long } = self;
        let done = tx.commit().await;
        drop(long);
        done
    }
}

impl std::ops::Deref for PgTx {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for PgTx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.tx
    }
}
